package gql

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// testSDL is a schema of the engine's own: the engine must serve it
// without knowing anything of Shopify's model.
const testSDL = `
schema { query: Query mutation: Mutation }
interface Node { id: ID! }
type Query {
  things(first: Int, last: Int, after: String, before: String, reverse: Boolean, query: String): ThingConnection!
  thing(id: ID!): Thing
  node(id: ID!): Node
  count: Count!
}
type Mutation { rename(id: ID!, name: String!): RenamePayload }
type RenamePayload { thing: Thing userErrors: [UserError!]! }
type UserError { field: [String!] message: String! }
type Count { count: Int! }
type Thing implements Node {
  id: ID!
  name: String!
  createdAt: DateTime!
  big: UnsignedInt64!
  tags: [String!]!
  broken: String!
  missing: String
  parts(first: Int, last: Int): PartConnection!
}
type Part implements Node { id: ID! }
type ThingConnection { edges: [ThingEdge!]! nodes: [Thing!]! pageInfo: PageInfo! }
type ThingEdge { cursor: String! node: Thing! }
type PartConnection { edges: [PartEdge!]! nodes: [Part!]! pageInfo: PageInfo! }
type PartEdge { cursor: String! node: Part! }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
scalar DateTime
scalar UnsignedInt64
`

var testEngine = sync.OnceValue(func() *Engine {
	return New(gqlparser.MustLoadSchema(&ast.Source{Name: "test.graphql", Input: testSDL}))
})

type thing struct {
	ID    int64
	Name  string
	Tags  []string
	Parts []*part
}

type part struct{ ID int64 }

// model is a Resolver over a few things.
type model struct {
	x      *Exec
	things []*thing
}

func newModel() *model {
	return &model{things: []*thing{
		{ID: 1, Name: "One <1>", Tags: []string{"a"}, Parts: []*part{{ID: 11}}},
		{ID: 2, Name: "Two", Tags: []string{}, Parts: []*part{{ID: 21}, {ID: 22}}},
		{ID: 3, Name: "Three", Tags: []string{"a", "b"}},
	}}
}

func (m *model) byID(args map[string]any) *thing {
	id, _ := ParseID(ArgString(args, "id"), "")
	for _, t := range m.things {
		if t.ID == id {
			return t
		}
	}
	return nil // a typed nil, as map lookups give
}

func (m *model) ResolveField(typ string, obj any, f *ast.Field, args map[string]any) (any, error) {
	t, _ := obj.(*thing)
	switch typ + "." + f.Name {
	case "Query.things":
		key := func(t *thing) SortKey { return ByID(t.ID) }
		match := func(t *thing) TermMatcher {
			return func(st SearchTerm) (bool, bool) { return MatchText(st, t.Name), st.Field == "name" }
		}
		return Paginate(m.x, SortedBy(m.things, ParseSearch(ArgString(args, "query")), match, key, true), key, args)
	case "Query.thing", "Query.node":
		return m.byID(args), nil
	case "Query.count":
		return Obj("Count", map[string]any{"count": len(m.things)}), nil
	case "Mutation.rename":
		t := m.byID(args)
		t.Name = ArgString(args, "name")
		return Obj("", map[string]any{"thing": t, "userErrors": []*Object{}}), nil
	case "Thing.id":
		return GID("Thing", t.ID), nil
	case "Thing.name":
		return t.Name, nil
	case "Thing.createdAt":
		return time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600)), nil
	case "Thing.big":
		return t.ID << 40, nil
	case "Thing.tags":
		return t.Tags, nil
	case "Thing.broken":
		return nil, Errorf("BROKEN", "%s is broken", f.Name)
	case "Thing.parts":
		return Paginate(m.x, t.Parts, func(p *part) SortKey { return ByID(p.ID) }, args)
	case "Part.id":
		return GID("Part", obj.(*part).ID), nil
	}
	return nil, Errorf("NOT_IMPLEMENTED", "no %s.%s", typ, f.Name)
}

func (m *model) Identify(v any) (string, string) {
	switch o := v.(type) {
	case *thing:
		return "Thing", GID("Thing", o.ID)
	case *part:
		return "Part", GID("Part", o.ID)
	}
	return "", ""
}

// run prepares, prices and executes query as the simulator does and
// renders the response without extensions.
func run(t *testing.T, query string, vars map[string]any) (body string, requested, actual float64) {
	t.Helper()
	x, errs := testEngine().Prepare(Request{Query: query, Variables: vars})
	if len(errs) > 0 {
		return string(RenderRefused(errs, nil)), 0, 0
	}
	requested, errs = x.RequestedCost()
	if len(errs) > 0 {
		return string(RenderRefused(errs, nil)), requested, 0
	}
	m := newModel()
	m.x = x
	data, actual := x.Execute(m)
	return string(Render(data, x.Errors, nil)), requested, actual
}

func TestExecute(t *testing.T) {
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"aliases, __typename, fragments and merged fields",
			`{ a: things(first: 2) { nodes { __typename id ...F name } } } fragment F on Thing { name tags }`, nil,
			`{"data":{"a":{"nodes":[{"__typename":"Thing","id":"gid://shopify/Thing/1","name":"One \u003c1\u003e","tags":["a"]},{"__typename":"Thing","id":"gid://shopify/Thing/2","name":"Two","tags":[]}]}}}`},
		{"edges, cursors and page info",
			`{ things(first: 1) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, nil,
			`{"data":{"things":{"edges":[{"cursor":"eyJsYXN0X2lkIjoxLCJsYXN0X3ZhbHVlIjoxfQ==","node":{"id":"gid://shopify/Thing/1"}}],"pageInfo":{"hasNextPage":true,"hasPreviousPage":false,"startCursor":"eyJsYXN0X2lkIjoxLCJsYXN0X3ZhbHVlIjoxfQ==","endCursor":"eyJsYXN0X2lkIjoxLCJsYXN0X3ZhbHVlIjoxfQ=="}}}}`},
		{"leaf serialization",
			`{ thing(id: "2") { createdAt big } }`, nil,
			`{"data":{"thing":{"createdAt":"2026-01-02T02:04:05Z","big":"2199023255552"}}}`},
		{"a non-null field error nulls the nearest nullable parent",
			`{ thing(id: "1") { id broken } count { count } }`, nil,
			`{"errors":[{"message":"broken is broken","locations":[{"line":1,"column":23}],"path":["thing","broken"],"extensions":{"code":"BROKEN"}}],"data":{"thing":null,"count":{"count":3}}}`},
		{"a null that reaches the root is data null",
			`{ things(first: 1) { nodes { broken } } }`, nil,
			`{"errors":[{"message":"broken is broken","locations":[{"line":1,"column":30}],"path":["things","nodes",0,"broken"],"extensions":{"code":"BROKEN"}}],"data":null}`},
		{"fields the model does not know are its errors",
			`{ thing(id: "1") { missing } }`, nil,
			`{"errors":[{"message":"no Thing.missing","locations":[{"line":1,"column":20}],"path":["thing","missing"],"extensions":{"code":"NOT_IMPLEMENTED"}}],"data":{"thing":{"missing":null}}}`},
		{"a typed nil is null",
			`{ thing(id: "99") { id } }`, nil,
			`{"data":{"thing":null}}`},
		{"abstract types resolve through Identify",
			`{ node(id: "gid://shopify/Thing/2") { id ... on Thing { name } ... on Part { id } } }`, nil,
			`{"data":{"node":{"id":"gid://shopify/Thing/2","name":"Two"}}}`},
		{"skip and include",
			`query($s: Boolean!) { thing(id: "3") { id @skip(if: $s) name @include(if: $s) } }`, map[string]any{"s": true},
			`{"data":{"thing":{"name":"Three"}}}`},
		{"search",
			`{ things(first: 5, query: "name:t*") { nodes { id } } }`, nil,
			`{"data":{"things":{"nodes":[{"id":"gid://shopify/Thing/2"},{"id":"gid://shopify/Thing/3"}]}}}`},
		{"mutation payloads are plain objects",
			`mutation { rename(id: "3", name: "3 & more") { thing { name } userErrors { message } } }`, nil,
			`{"data":{"rename":{"thing":{"name":"3 \u0026 more"},"userErrors":[]}}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got, _, _ := run(t, c.query, c.vars); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestCost(t *testing.T) {
	for _, c := range []struct {
		query             string
		requested, actual float64
	}{
		// 2 + 10 × (1 thing + (2 + 3 × 1 part)); actual 2 + (1+3) + (1+4) + (1+2).
		{`{ things(first: 10) { nodes { id parts(first: 3) { nodes { id } } } } }`, 62, 14},
		// Scalars are free, objects 1, connection wrappers free.
		{`{ count { count } things(last: 2) { edges { node { name } } pageInfo { hasNextPage } } }`, 5, 5},
		// A field that resolved to null still costs its object.
		{`{ thing(id: "99") { id } }`, 1, 1},
		// Fragments on other types of an abstract field: the dearest counts.
		{`{ node(id: "1") { ... on Thing { parts(first: 5) { nodes { id } } } ... on Part { id } } }`, 8, 4},
		// A mutation field costs 10 plus its payload's selection.
		{`mutation { rename(id: "1", name: "x") { thing { parts(first: 100) { nodes { id } } } } }`, MutationCost + 1 + 102, MutationCost + 1 + 3},
		{`mutation { rename(id: "1", name: "x") { __typename } }`, MutationCost, MutationCost},
	} {
		body, requested, actual := run(t, c.query, nil)
		if requested != c.requested || actual != c.actual {
			t.Errorf("%s: cost %v/%v, want %v/%v (%s)", c.query, requested, actual, c.requested, c.actual, body)
		}
	}
}

func TestConnectionWithoutPageSize(t *testing.T) {
	q := `{ things { nodes { id } } }`
	body, _, _ := run(t, q, nil)
	want := `{"errors":[{"message":"you must provide one of first or last","locations":[{"line":1,"column":3}],"path":["things"]}]}`
	if body != want {
		t.Errorf("got  %s\nwant %s", body, want)
	}
	// Unpaged (a bulk operation) reads the whole connection.
	doc, errs := testEngine().Load(q)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	x := testEngine().NewExec(doc, doc.Operations[0], nil)
	x.Unpaged = true
	if _, errs := x.RequestedCost(); len(errs) > 0 {
		t.Errorf("unpaged: %v", errs)
	}
	m := newModel()
	m.x = x
	data, _ := x.Execute(m)
	if got := string(Render(data, x.Errors, nil)); strings.Count(got, "gid://") != 3 {
		t.Errorf("unpaged: %s", got)
	}
}

// Requests refused before execution have no data and Shopify's
// (graphql-ruby's) error wording and codes.
func TestRefusedBeforeExecution(t *testing.T) {
	for _, c := range []struct {
		query, operation string
		vars             map[string]any
		want             string
	}{
		{`{ thing(id: "1") { nope } }`, "", nil,
			`{"errors":[{"message":"Field 'nope' doesn't exist on type 'Thing'","locations":[{"line":1,"column":20}],"path":["query","thing","nope"],"extensions":{"code":"undefinedField","fieldName":"nope","typeName":"Thing"}}]}`},
		{`{ thing { id } }`, "", nil,
			`{"errors":[{"message":"Field 'thing' is missing required arguments: id","locations":[{"line":1,"column":3}],"path":["query","thing"],"extensions":{"arguments":"id","className":"Field","code":"missingRequiredArguments","name":"thing"}}]}`},
		{`{ thing(id: "1", x: 1) { id } }`, "", nil,
			`{"errors":[{"message":"Field 'thing' doesn't accept argument 'x'","locations":[{"line":1,"column":3}],"path":["query","thing","x"],"extensions":{"argumentName":"x","code":"argumentNotAccepted","name":"thing","typeName":"Field"}}]}`},
		{`{ count }`, "", nil,
			`{"errors":[{"message":"Field 'count' returns Count! but has no selections. Did you mean 'count { ... }'?","locations":[{"line":1,"column":3}],"path":["query","count"],"extensions":{"code":"selectionMismatch","nodeName":"field 'count'","typeName":"Count!"}}]}`},
		{`{ count { count { x } } }`, "", nil,
			`{"errors":[{"message":"Field 'x' doesn't exist on type 'Int'","locations":[{"line":1,"column":19}],"path":["query","count","count","x"],"extensions":{"code":"undefinedField","fieldName":"x","typeName":"Int"}},{"message":"Selections can't be made on scalars (field 'count' returns Int)","locations":[{"line":1,"column":11}],"path":["query","count","count"],"extensions":{"code":"selectionMismatch","nodeName":"field 'count'","typeName":"Int"}}]}`},
		{`{ thing(id: "1") { id }`, "", nil,
			`{"errors":[{"message":"syntax error: Expected Name, found \u003cEOF\u003e","locations":[{"line":1,"column":24}],"extensions":{"code":"PARSE_ERROR"}}]}`},
		{`query A { count { count } } query B { count { count } }`, "", nil,
			`{"errors":[{"message":"An operation name is required"}]}`},
		{`query A { count { count } }`, "C", nil,
			`{"errors":[{"message":"No operation named \"C\""}]}`},
		{`query($id: ID!) { thing(id: $id) { id } }`, "", nil,
			`{"errors":[{"message":"Variable $id of type ID! was provided invalid value","locations":[{"line":1,"column":7}],"extensions":{"code":"INVALID_VARIABLE","problems":[{"explanation":"Expected value to not be null","path":[]}],"value":null}}]}`},
		{`query($id: ID!) { thing(id: $id) { id } }`, "", map[string]any{"id": "123"},
			`{"errors":[{"message":"Variable $id of type ID! was provided invalid value","locations":[{"line":1,"column":7}],"extensions":{"code":"INVALID_VARIABLE","problems":[{"explanation":"Invalid global id '123'","path":[]}],"value":"123"}}]}`},
	} {
		x, errs := testEngine().Prepare(Request{Query: c.query, OperationName: c.operation, Variables: c.vars})
		if x != nil || len(errs) == 0 {
			t.Errorf("%s: prepared", c.query)
			continue
		}
		if got := string(RenderRefused(errs, nil)); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.query, got, c.want)
		}
	}
}

func TestRenderExtensions(t *testing.T) {
	actual := 3.0
	cost := &Cost{RequestedQueryCost: 4, ActualQueryCost: &actual,
		ThrottleStatus: ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1997, RestoreRate: 100}}
	got := string(Render(nil, nil, cost))
	want := `{"data":null,"extensions":{"cost":{"requestedQueryCost":4,"actualQueryCost":3,"throttleStatus":{"maximumAvailable":2000,"currentlyAvailable":1997,"restoreRate":100}}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var v map[string]any
	if err := json.Unmarshal(RenderRefused(nil, nil), &v); err != nil || len(v) != 0 {
		t.Errorf("refused without errors or cost: %v %v", v, err)
	}
}
