package admin

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// MaxQueryCost is the most a single query may request; Shopify refuses
// larger ones with MAX_COST_EXCEEDED.
const MaxQueryCost = 1000

// mutationCost is what Shopify charges for a mutation field.
const mutationCost = 10

// costKey names an operation's shape for learning its requested cost: the
// operation name and the variables that change the cost (numbers such as
// first:, and list lengths).
func costKey(op string, vars map[string]any) string {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(op)
	for _, k := range names {
		switch v := vars[k].(type) {
		case float64:
			b.WriteString("|" + k + "=" + strconv.FormatFloat(v, 'f', -1, 64))
		case []any:
			b.WriteString("|" + k + "#" + strconv.Itoa(len(v)))
		}
	}
	return b.String()
}

// docCacheSize bounds parsedDocs: genqlient's operations are a few dozen
// documents, but a caller building query text at run time would otherwise
// make the cache grow without end.
const docCacheSize = 1024

// docCache keeps parsed documents by query text.
type docCache struct {
	mu   sync.Mutex
	docs map[string]*ast.QueryDocument // nil if the text does not parse
}

var parsedDocs = &docCache{docs: make(map[string]*ast.QueryDocument)}

// parseDoc parses query, once per process while the cache holds it; nil if
// it does not parse.
func parseDoc(query string) *ast.QueryDocument {
	return parsedDocs.load(query)
}

func (c *docCache) load(query string) *ast.QueryDocument {
	c.mu.Lock()
	doc, ok := c.docs[query]
	c.mu.Unlock()
	if ok {
		return doc
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		doc = nil
	}
	c.mu.Lock()
	if len(c.docs) >= docCacheSize {
		// Starting afresh is simpler than tracking use, and the few
		// documents in steady use are parsed again at once.
		clear(c.docs)
	}
	c.docs[query] = doc
	c.mu.Unlock()
	return doc
}

func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.docs)
}

// estimateCost is a conservative guess of the requested cost of the first
// call of an operation, before Shopify has told us: objects cost 1,
// scalars 0, a connection 2 + first × (cost of one node), a mutation 10.
// Without the schema it treats every field with a selection set as an
// object, which only errs upwards. Unparsable documents are guessed at
// the maximum.
func estimateCost(query, op string, vars map[string]any) float64 {
	doc := parseDoc(query)
	if doc == nil {
		return MaxQueryCost
	}
	var opDef *ast.OperationDefinition
	if op != "" {
		opDef = doc.Operations.ForName(op)
	} else if len(doc.Operations) == 1 {
		opDef = doc.Operations[0]
	}
	if opDef == nil {
		return MaxQueryCost
	}
	e := estimator{doc: doc, vars: vars}
	cost := e.selection(opDef.SelectionSet, 0)
	if opDef.Operation == ast.Mutation {
		cost = 0
		for _, s := range opDef.SelectionSet {
			if f, ok := s.(*ast.Field); ok {
				cost += mutationCost + e.selection(f.SelectionSet, 0)
			}
		}
	}
	return math.Max(1, math.Min(cost, MaxQueryCost))
}

type estimator struct {
	doc  *ast.QueryDocument
	vars map[string]any
}

// selection is the cost of a selection set; depth guards against
// recursive fragments in an invalid document.
func (e estimator) selection(set ast.SelectionSet, depth int) float64 {
	if depth > 20 {
		return 0
	}
	total := 0.0
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			total += e.field(s, depth)
		case *ast.FragmentSpread:
			if f := e.doc.Fragments.ForName(s.Name); f != nil {
				total += e.selection(f.SelectionSet, depth+1)
			}
		case *ast.InlineFragment:
			// Inline fragments of an abstract type: the dearest one counts,
			// but adding them all is the simpler upper bound.
			total += e.selection(s.SelectionSet, depth+1)
		}
	}
	return total
}

func (e estimator) field(f *ast.Field, depth int) float64 {
	if len(f.SelectionSet) == 0 {
		return 0
	}
	n, isConn := e.pageSize(f)
	if !isConn {
		return 1 + e.selection(f.SelectionSet, depth+1)
	}
	// A connection: pageInfo once, everything else (nodes/edges) per node.
	perNode, once := 0.0, 0.0
	for _, s := range f.SelectionSet {
		if c, ok := s.(*ast.Field); ok && c.Name == "pageInfo" {
			once += e.field(c, depth+1)
			continue
		}
		perNode += e.selection(ast.SelectionSet{s}, depth+1)
	}
	return 2 + n*perNode + once
}

// pageSize returns the first:/last: argument of a connection field.
func (e estimator) pageSize(f *ast.Field) (float64, bool) {
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil || a.Value == nil {
			continue
		}
		v, err := a.Value.Value(e.vars)
		if err != nil {
			return 250, true
		}
		switch v := v.(type) {
		case int64:
			return float64(v), true
		case float64:
			return v, true
		case nil:
			continue
		}
		return 250, true
	}
	return 0, false
}

// isMutation reports whether op in query is a mutation.
func isMutation(query, op string) bool {
	doc := parseDoc(query)
	if doc == nil {
		return strings.HasPrefix(strings.TrimSpace(query), "mutation")
	}
	if o := doc.Operations.ForName(op); o != nil {
		return o.Operation == ast.Mutation
	}
	return len(doc.Operations) == 1 && doc.Operations[0].Operation == ast.Mutation
}
