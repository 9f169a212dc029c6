package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// RequestSchemas validates JSON request bodies against an OpenAPI 3.1 description, whose schemas
// are JSON Schema.
type RequestSchemas struct {
	compiler *jsonschema.Compiler
	base     string
}

// LoadRequestSchemas reads the OpenAPI description file from fsys.
func LoadRequestSchemas(fsys fs.FS, file string) (*RequestSchemas, error) {
	raw, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	base := "https://schemas.signpost.invalid/" + file
	if err := c.AddResource(base, doc); err != nil {
		return nil, err
	}
	return &RequestSchemas{compiler: c, base: base}, nil
}

// For compiles the JSON request body schema of one operation, such as ("post", "/v1/submissions").
func (rs *RequestSchemas) For(method, path string) (*jsonschema.Schema, error) {
	pointer := "#/paths/" + escapePointer(path) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
	return rs.compiler.Compile(rs.base + pointer)
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// ValidateBody checks a JSON body against the schema and says, field by field, what is wrong. The
// words come from the rule that failed, never from the value: request bodies carry patient text.
func ValidateBody(schema *jsonschema.Schema, body []byte) []FieldProblem {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return []FieldProblem{{Field: "(body)", Detail: "is not JSON"}}
	}
	err = schema.Validate(doc)
	var ve *jsonschema.ValidationError
	if err == nil {
		return nil
	} else if !errors.As(err, &ve) {
		return []FieldProblem{{Field: "(body)", Detail: "could not be checked"}}
	}
	var out []FieldProblem
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, describe(e)...)
	}
	walk(ve)
	return out
}

func describe(e *jsonschema.ValidationError) []FieldProblem {
	field := strings.Join(e.InstanceLocation, ".")
	if field == "" {
		field = "(body)"
	}
	one := func(detail string) []FieldProblem { return []FieldProblem{{Field: field, Detail: detail}} }
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var out []FieldProblem
		for _, m := range k.Missing {
			out = append(out, FieldProblem{Field: join(field, m), Detail: "is required"})
		}
		return out
	case *kind.AdditionalProperties:
		var out []FieldProblem
		for _, p := range k.Properties {
			out = append(out, FieldProblem{Field: join(field, p), Detail: "is not a field of this request"})
		}
		return out
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return one("must be one of " + strings.Join(want, ", "))
	case *kind.Const:
		return one(fmt.Sprintf("must be %v", k.Want))
	case *kind.Type:
		return one("must be a " + strings.Join(k.Want, " or "))
	case *kind.MaxLength:
		return one(fmt.Sprintf("is too long: at most %d characters", k.Want))
	case *kind.MinLength:
		return one(fmt.Sprintf("is too short: at least %d characters", k.Want))
	case *kind.Pattern:
		return one("is not in the expected form")
	case *kind.Format:
		return one("is not a valid " + k.Want)
	}
	return one("does not match the API description")
}

func join(parent, child string) string {
	if parent == "(body)" {
		return child
	}
	return parent + "." + child
}
