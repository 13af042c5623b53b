package shopifysim

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Metafield types as Shopify documents them (shopify.dev "List of data
// types"): each value is checked as Shopify checks it, a list type
// (list.X) is a JSON array of valid X values, and a type Shopify does not
// know is refused (INVALID_TYPE). Reference values must be GIDs of the
// referenced type; whether the resource exists is not checked.

// metafieldRefTypes are the reference types and the GID types they take.
var metafieldRefTypes = map[string][]string{
	"product_reference":                {"Product"},
	"variant_reference":                {"ProductVariant"},
	"collection_reference":             {"Collection"},
	"customer_reference":               {"Customer"},
	"company_reference":                {"Company"},
	"page_reference":                   {"Page"},
	"article_reference":                {"Article"},
	"metaobject_reference":             {"Metaobject"},
	"mixed_reference":                  {"Metaobject"},
	"product_taxonomy_value_reference": {"TaxonomyValue"},
	"file_reference":                   {"GenericFile", "MediaImage", "Video", "Model3d", "ExternalVideo"},
	"order_reference":                  {"Order"},
}

// metafieldMeasureUnits are the units of the measurement types.
var metafieldMeasureUnits = map[string][]string{
	"weight":    {"GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"},
	"volume":    {"MILLILITERS", "CENTILITERS", "LITERS", "CUBIC_METERS", "FLUID_OUNCES", "PINTS", "QUARTS", "GALLONS", "IMPERIAL_FLUID_OUNCES", "IMPERIAL_PINTS", "IMPERIAL_QUARTS", "IMPERIAL_GALLONS"},
	"dimension": {"MILLIMETERS", "CENTIMETERS", "METERS", "INCHES", "FEET", "YARDS"},
}

// metafieldScalarTypes are the other types; those marked true have a
// list form.
var metafieldScalarTypes = map[string]bool{
	"single_line_text_field": true, "multi_line_text_field": false, "rich_text_field": false,
	"number_integer": true, "number_decimal": true, "boolean": false, "json": false,
	"date": true, "date_time": true, "color": true, "url": true, "link": true,
	"money": false, "rating": true, "id": false,
	"weight": true, "volume": true, "dimension": true,
}

// knownMetafieldType reports whether Shopify knows typ.
func knownMetafieldType(typ string) bool {
	if elem, ok := strings.CutPrefix(typ, "list."); ok {
		_, ref := metafieldRefTypes[elem]
		return ref || metafieldScalarTypes[elem]
	}
	_, ref := metafieldRefTypes[typ]
	_, scalar := metafieldScalarTypes[typ]
	return ref || scalar
}

var (
	decimalRE = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?$`)
	colorRE   = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
)

// maxSafeInteger bounds number_integer, as JSON numbers are read.
const maxSafeInteger = 1<<53 - 1

// invalidTypedValue says why value is not a valid value of typ, or "".
func invalidTypedValue(typ, value string) string {
	if elem, ok := strings.CutPrefix(typ, "list."); ok {
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(value), &items); err != nil {
			return "Value must be a JSON array."
		}
		for i, raw := range items {
			// A list holds each element as JSON: strings for text,
			// dates and references, numbers, objects for measures.
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(raw)
			}
			if msg := invalidTypedValue(elem, s); msg != "" {
				return fmt.Sprintf("Value at index %d is invalid: %s", i, msg)
			}
		}
		return ""
	}
	if gids, ok := metafieldRefTypes[typ]; ok {
		rest, ok := strings.CutPrefix(value, "gid://shopify/")
		t, id, _ := strings.Cut(rest, "/")
		if n, err := strconv.ParseInt(id, 10, 64); !ok || err != nil || n <= 0 || !slices.Contains(gids, t) {
			return fmt.Sprintf("Value must be a global id of a %s.", strings.Join(gids, " or "))
		}
		return ""
	}
	if units, ok := metafieldMeasureUnits[typ]; ok {
		var m struct {
			Value *json.Number `json:"value"`
			Unit  string       `json:"unit"`
		}
		if json.Unmarshal([]byte(value), &m) != nil || m.Value == nil || !slices.Contains(units, strings.ToUpper(m.Unit)) {
			return fmt.Sprintf("Value must be an object with a numeric value and a unit (%s).", strings.Join(units, ", "))
		}
		return ""
	}
	switch typ {
	case "number_integer":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n > maxSafeInteger || n < -maxSafeInteger {
			return "Value must be an integer."
		}
	case "number_decimal":
		if !decimalRE.MatchString(value) {
			return "Value must be a decimal."
		}
	case "boolean":
		if value != "true" && value != "false" {
			return "Value must be true or false."
		}
	case "json":
		if !json.Valid([]byte(value)) {
			return "Value must be valid JSON."
		}
	case "date":
		if _, err := time.Parse("2006-01-02", value); err != nil {
			return "Value must be a date in the format YYYY-MM-DD."
		}
	case "date_time":
		ok := false
		for _, layout := range []string{"2006-01-02T15:04:05", time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04"} {
			if _, err := time.Parse(layout, value); err == nil {
				ok = true
			}
		}
		if !ok {
			return "Value must be a date and time in ISO 8601 format."
		}
	case "color":
		if !colorRE.MatchString(value) {
			return "Value must be a hexadecimal color code, like #FF0000."
		}
	case "url":
		if !validMetafieldURL(value) {
			return "Value must be a URL with an http, https, mailto, sms or tel scheme."
		}
	case "link":
		var l struct {
			Text *string `json:"text"`
			URL  string  `json:"url"`
		}
		if json.Unmarshal([]byte(value), &l) != nil || l.Text == nil || !validMetafieldURL(l.URL) {
			return "Value must be an object with text and a url."
		}
	case "money":
		var m struct {
			Amount   string `json:"amount"`
			Currency string `json:"currency_code"`
		}
		if json.Unmarshal([]byte(value), &m) != nil || !decimalRE.MatchString(m.Amount) || len(m.Currency) != 3 {
			return "Value must be an object with an amount and a currency_code."
		}
	case "rating":
		var r struct {
			Value, Min, Max string
		}
		var raw map[string]json.RawMessage
		if json.Unmarshal([]byte(value), &raw) == nil {
			json.Unmarshal(raw["value"], &r.Value)
			json.Unmarshal(raw["scale_min"], &r.Min)
			json.Unmarshal(raw["scale_max"], &r.Max)
		}
		v, e1 := strconv.ParseFloat(r.Value, 64)
		lo, e2 := strconv.ParseFloat(r.Min, 64)
		hi, e3 := strconv.ParseFloat(r.Max, 64)
		if e1 != nil || e2 != nil || e3 != nil || lo > hi || v < lo || v > hi {
			return "Value must be an object with value, scale_min and scale_max, the value within the scale."
		}
	case "rich_text_field":
		return invalidRichText(value)
	}
	return ""
}

// validMetafieldURL accepts the schemes Shopify's url type takes.
func validMetafieldURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "mailto", "sms", "tel":
		return u.Opaque != "" || u.Path != ""
	}
	return false
}

// richTextNode is one node of a rich_text_field value.
type richTextNode struct {
	Type     string          `json:"type"`
	Children []*richTextNode `json:"children"`
	Value    *string         `json:"value"`
	Level    int             `json:"level"`
	ListType string          `json:"listType"`
	URL      string          `json:"url"`
}

// richTextChildren are the node types each rich text node may contain.
var richTextChildren = map[string][]string{
	"root":      {"paragraph", "heading", "list"},
	"paragraph": {"text", "link"},
	"heading":   {"text", "link"},
	"list":      {"list-item"},
	"list-item": {"text", "link", "list"},
	"link":      {"text"},
}

// invalidRichText checks a rich_text_field value: a JSON object of type
// root whose children follow Shopify's rich text schema (paragraphs,
// headings of level 1–6, ordered or unordered lists of list items, text
// with a string value, links with a url).
func invalidRichText(value string) string {
	var root richTextNode
	if err := json.Unmarshal([]byte(value), &root); err != nil {
		return "Value must be a rich text JSON object."
	}
	if root.Type != "root" || root.Children == nil {
		return "Value must be a rich text object of type root with children."
	}
	var check func(n *richTextNode) string
	check = func(n *richTextNode) string {
		switch n.Type {
		case "text":
			if n.Value == nil {
				return "A rich text text node must have a value."
			}
			return ""
		case "heading":
			if n.Level < 1 || n.Level > 6 {
				return "A rich text heading must have a level from 1 to 6."
			}
		case "list":
			if n.ListType != "ordered" && n.ListType != "unordered" {
				return "A rich text list must be ordered or unordered."
			}
		case "link":
			if !validMetafieldURL(n.URL) {
				return "A rich text link must have a url."
			}
		}
		for _, c := range n.Children {
			if c == nil || !slices.Contains(richTextChildren[n.Type], c.Type) {
				return fmt.Sprintf("A rich text %s cannot contain that node.", n.Type)
			}
			if msg := check(c); msg != "" {
				return msg
			}
		}
		return ""
	}
	return check(&root)
}
