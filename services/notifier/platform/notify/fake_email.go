package notify

import (
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// emailFields are the properties the send-email schema allows.
var emailFields = []string{"email_address", "template_id", "personalisation", "reference",
	"email_reply_to_id", "one_click_unsubscribe_url", "scheduled_for"}

// sendEmail serves POST /v2/notifications/email once authenticated. The caller holds f.mu.
func (f *Fake) sendEmail(r *http.Request, body []byte) answer {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var fields map[string]json.RawMessage
	if mediaType != "application/json" || json.Unmarshal(body, &fields) != nil || fields == nil {
		return notifyError(http.StatusBadRequest, TypeBadRequestError, "Invalid JSON supplied in POST data")
	}
	var problems []problem
	invalid := func(msg string) { problems = append(problems, problem{TypeValidationError, msg}) }
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !slices.Contains(emailFields, k) {
			invalid("Additional properties are not allowed (" + k + " was unexpected)")
		}
	}
	str := func(name string, required bool) (string, bool) {
		raw, ok := fields[name]
		if !ok || string(raw) == "null" {
			if required {
				invalid(name + " is a required property")
			}
			return "", false
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			invalid(name + " is not of type string")
			return "", false
		}
		return s, true
	}
	to, hasTo := str("email_address", true)
	if hasTo && !validEmailAddress(to) {
		invalid("email_address is not a valid email address")
	}
	templateID, hasTemplate := str("template_id", true)
	if hasTemplate && !isUUID(templateID) {
		invalid("template_id is not a valid UUID")
	}
	reference, _ := str("reference", false)
	replyTo, hasReplyTo := str("email_reply_to_id", false)
	if hasReplyTo && !isUUID(replyTo) {
		invalid("email_reply_to_id is not a valid UUID")
	}
	personalisation := map[string]string{}
	if raw, ok := fields["personalisation"]; ok && string(raw) != "null" {
		var values map[string]json.RawMessage
		if json.Unmarshal(raw, &values) != nil {
			invalid("personalisation is not of type object")
		}
		for k, v := range values {
			if string(v) == "null" {
				continue // Notify treats null as not given
			}
			var s string
			if json.Unmarshal(v, &s) != nil {
				s = string(v)
			}
			personalisation[k] = s
		}
	}
	if len(problems) > 0 {
		return notifyErrors(http.StatusBadRequest, problems...)
	}

	tmpl, ok := f.templates[strings.ToLower(templateID)]
	if !ok {
		return notifyError(http.StatusBadRequest, TypeBadRequestError, "Template not found")
	}
	serviceID, _, _ := ParseAPIKey(f.APIKey)
	if hasReplyTo && !f.replyTo[strings.ToLower(replyTo)] {
		return notifyError(http.StatusBadRequest, TypeBadRequestError,
			"email_reply_to_id "+replyTo+" does not exist in database for service id "+serviceID)
	}
	var missing []string
	subject := render(tmpl.subject, personalisation, &missing)
	text := render(tmpl.body, personalisation, &missing)
	if len(missing) > 0 {
		return notifyError(http.StatusBadRequest, TypeBadRequestError, "Missing personalisation: "+strings.Join(missing, ", "))
	}

	email := SentEmail{ID: newUUID(), To: strings.TrimSpace(to), TemplateID: templateID, Personalisation: personalisation,
		Reference: reference, EmailReplyToID: replyTo, Subject: subject, Body: text, At: f.now()}
	f.sent = append(f.sent, email)
	return answer{status: http.StatusCreated, body: f.notification(r, email)}
}

// notification is the 201 answer for an accepted email.
func (f *Fake) notification(r *http.Request, e SentEmail) map[string]any {
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	from := f.FromEmail
	if from == "" {
		from = "signpost.fake@notifications.service.gov.uk"
	}
	var reference any
	if e.Reference != "" {
		reference = e.Reference
	}
	return map[string]any{
		"id":        e.ID,
		"reference": reference,
		"content": map[string]any{
			"subject":                   e.Subject,
			"body":                      e.Body,
			"from_email":                from,
			"one_click_unsubscribe_url": nil,
		},
		"uri": base + "/v2/notifications/" + e.ID,
		"template": map[string]any{
			"id":      e.TemplateID,
			"version": 1,
			"uri":     base + "/v2/template/" + e.TemplateID,
		},
		"scheduled_for": nil,
	}
}

var placeholderPattern = regexp.MustCompile(`\(\(([^()]+)\)\)`)

// placeholderKey is how Notify matches a placeholder to a personalisation key: case and white
// space do not matter.
func placeholderKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }

// render fills the ((placeholders)) of text from values, adding the names of any without a value
// to missing (once each).
func render(text string, values map[string]string, missing *[]string) string {
	byKey := make(map[string]string, len(values))
	for k, v := range values {
		byKey[placeholderKey(k)] = v
	}
	return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
		inner := m[2 : len(m)-2]
		name, conditional, isConditional := strings.Cut(inner, "??")
		v, ok := byKey[placeholderKey(name)]
		if !ok {
			if n := strings.TrimSpace(name); !slices.Contains(*missing, n) {
				*missing = append(*missing, n)
			}
			return m
		}
		if isConditional {
			if truthy(v) {
				return conditional
			}
			return ""
		}
		return v
	})
}

func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "null":
		return false
	}
	return true
}

var (
	localPartPattern = regexp.MustCompile("^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+$")
	labelPattern     = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`)
	tldPattern       = regexp.MustCompile(`^([a-zA-Z]{2,63}|xn--[a-zA-Z0-9-]{1,59})$`)
)

// validEmailAddress is a close copy of Notify's check: a plausible local part, and a domain of at
// least two valid labels ending in an alphabetic top-level domain.
func validEmailAddress(addr string) bool {
	addr = strings.TrimSpace(addr)
	if len(addr) > 320 || strings.ContainsAny(addr, " \t\r\n") {
		return false
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || strings.Contains(domain, "@") || len(local) > 64 || !localPartPattern.MatchString(local) ||
		strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || len(domain) > 253 {
		return false
	}
	for _, l := range labels {
		if !labelPattern.MatchString(l) {
			return false
		}
	}
	return tldPattern.MatchString(labels[len(labels)-1])
}
