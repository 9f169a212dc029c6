package inbox

import (
	"net/http"
	"strings"

	"github.com/signpost/signpost/services/inbox/internal/auth"
	"github.com/signpost/signpost/shared/httpx"
	"github.com/signpost/signpost/shared/policy"
)

// Preview is a message as a patient would read it.
type Preview struct {
	Template string `json:"template"`
	Practice string `json:"practice"`
	Text     string `json:"text"`
}

var templateNames = []string{policy.TemplateRespond, policy.TemplateSignpost, policy.TemplateDeleteRequest, policy.TemplateComplaintEmail}

// preview renders one of the organisation's message templates for one of its practices, so the
// words can be checked before any patient receives them. apiPerson has already checked that the
// organisation is the person's own.
func (in *Inbox) preview(w http.ResponseWriter, r *http.Request, person auth.Principal) {
	org, name, practice := person.Organisation, r.PathValue("template"), r.URL.Query().Get("practice")
	p, ok := in.policies.ForPractice(practice)
	if !ok || p.Organisation.Slug != org {
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusNotFound, Detail: "no such practice in this organisation; give ?practice=<slug>"})
		return
	}
	text, err := p.Message(name, practice)
	if err != nil {
		httpx.WriteProblem(w, httpx.Problem{Status: http.StatusNotFound,
			Detail: "no such template; templates are " + strings.Join(templateNames, ", ")})
		return
	}
	httpx.WriteJSON(w, http.StatusOK, Preview{Template: name, Practice: practice, Text: text})
}
