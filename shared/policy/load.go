package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/signpost/signpost/schemas"
)

// Set is every organisation's policy, looked up by practice.
type Set struct {
	byPractice map[string]*Policy
	orgs       []*Policy
}

// Error says which policy file is wrong, where in it, and what is wrong.
type Error struct {
	File    string
	Pointer string // JSON pointer inside the file; empty for the whole file
	Problem string
}

func (e *Error) Error() string {
	where := e.Pointer
	if where == "" {
		where = "/"
	}
	return fmt.Sprintf("policy %s at %s: %s", e.File, where, e.Problem)
}

// Load reads every *.json file in fsys, validates each against schemas/policy.json and checks
// what a schema cannot: practice slugs are unique across organisations and templates render.
func Load(fsys fs.FS) (*Set, error) {
	sch, err := compileSchema()
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no policy files (*.json) found")
	}
	sort.Strings(names)
	set := &Set{byPractice: map[string]*Policy{}}
	for _, name := range names {
		p, err := loadFile(fsys, name, sch)
		if err != nil {
			return nil, err
		}
		for _, other := range set.orgs {
			if a, b := p.Accounts, other.Accounts; a.FacebookPageID != "" && a.FacebookPageID == b.FacebookPageID {
				return nil, &Error{File: name, Pointer: "/accounts", Problem: fmt.Sprintf(
					"the same account is also in organisation %q", other.Organisation.Slug)}
			}
		}
		for _, pr := range p.Practices {
			if other, dup := set.byPractice[pr.Slug]; dup {
				return nil, &Error{File: name, Pointer: "/practices", Problem: fmt.Sprintf(
					"practice %q is also in organisation %q", pr.Slug, other.Organisation.Slug)}
			}
			set.byPractice[pr.Slug] = p
		}
		set.orgs = append(set.orgs, p)
	}
	return set, nil
}

func loadFile(fsys fs.FS, name string, sch *jsonschema.Schema) (*Policy, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &Error{File: name, Problem: err.Error()}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, &Error{File: name, Problem: "not valid JSON: " + err.Error()}
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			leaf := deepest(ve)
			return nil, &Error{File: name, Pointer: "/" + joinPointer(leaf.InstanceLocation), Problem: leaf.ErrorKind.LocalizedString(printer)}
		}
		return nil, &Error{File: name, Problem: err.Error()}
	}
	var p Policy
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, &Error{File: name, Problem: err.Error()}
	}
	if err := p.compileTemplates(); err != nil {
		return nil, &Error{File: name, Problem: err.Error()}
	}
	return &p, nil
}

// deepest follows the first cause down to the most specific failure, which names the exact place.
func deepest(ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return ve
}

func joinPointer(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "/"
		}
		out += p
	}
	return out
}

func compileSchema() (*jsonschema.Schema, error) {
	raw, err := fs.ReadFile(schemas.JSON, "policy.json")
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://schemas.signpost.invalid/policy.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// ForFacebookPage returns the policy of the organisation whose Facebook page has the id.
func (s *Set) ForFacebookPage(pageID string) (*Policy, bool) {
	for _, p := range s.orgs {
		if pageID != "" && p.Accounts.FacebookPageID == pageID {
			return p, true
		}
	}
	return nil, false
}

// ForGoogleLocation returns the policy and the practice whose Google Business Profile location it is.
func (s *Set) ForGoogleLocation(location string) (*Policy, Practice, bool) {
	for _, p := range s.orgs {
		for _, pr := range p.Practices {
			if location != "" && pr.GoogleLocation == location {
				return p, pr, true
			}
		}
	}
	return nil, Practice{}, false
}

// ForItem returns the policy an item falls under: its practice's, provided that practice belongs
// to the item's organisation. An item that names a practice of another organisation has none.
func (s *Set) ForItem(organisation, practice string) (*Policy, error) {
	p, ok := s.byPractice[practice]
	if !ok || p.Organisation.Slug != organisation {
		return nil, fmt.Errorf("practice %q of organisation %q has no policy", practice, organisation)
	}
	return p, nil
}

// ForPractice returns the policy of the organisation that has the practice.
func (s *Set) ForPractice(slug string) (*Policy, bool) {
	p, ok := s.byPractice[slug]
	return p, ok
}

// Organisations returns every policy, in file-name order.
func (s *Set) Organisations() []*Policy { return s.orgs }

// Practices returns every practice slug, sorted.
func (s *Set) Practices() []string {
	out := make([]string, 0, len(s.byPractice))
	for slug := range s.byPractice {
		out = append(out, slug)
	}
	sort.Strings(out)
	return out
}

// printer words schema errors in English for the person fixing the file.
var printer = message.NewPrinter(language.English)
