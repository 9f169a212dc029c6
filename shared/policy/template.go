package policy

import (
	"fmt"
	"strings"
	"text/template"
)

// The templates a policy must have, by name.
const (
	TemplateRespond        = "respond"
	TemplateSignpost       = "signpost"
	TemplateDeleteRequest  = "delete_request"
	TemplateComplaintEmail = "complaint_email"
)

// MessageFields are what a template can use.
type MessageFields struct {
	PracticeName           string
	OrganisationName       string
	ComplaintsProcedureURL string
}

func (p *Policy) compileTemplates() error {
	p.templates = map[string]*template.Template{}
	for name, text := range map[string]string{
		TemplateRespond:        p.Templates.Respond,
		TemplateSignpost:       p.Templates.Signpost,
		TemplateDeleteRequest:  p.Templates.DeleteRequest,
		TemplateComplaintEmail: p.Templates.ComplaintEmail,
	} {
		t, err := template.New(name).Option("missingkey=error").Parse(text)
		if err != nil {
			return fmt.Errorf("/templates/%s: %w", name, err)
		}
		// Render once with sample fields so that a misspelt field fails at start, not at a patient.
		if err := t.Execute(&strings.Builder{}, MessageFields{}); err != nil {
			return fmt.Errorf("/templates/%s: %w", name, err)
		}
		p.templates[name] = t
	}
	return nil
}

// Message renders the named template for a practice of the organisation.
func (p *Policy) Message(name, practiceSlug string) (string, error) {
	t, ok := p.templates[name]
	if !ok {
		return "", fmt.Errorf("policy %s has no template %q", p.Organisation.Slug, name)
	}
	pr, ok := p.Practice(practiceSlug)
	if !ok {
		return "", fmt.Errorf("policy %s has no practice %q", p.Organisation.Slug, practiceSlug)
	}
	var b strings.Builder
	err := t.Execute(&b, MessageFields{
		PracticeName:           pr.Name,
		OrganisationName:       p.Organisation.Name,
		ComplaintsProcedureURL: p.ComplaintsProcedureURL,
	})
	return b.String(), err
}
