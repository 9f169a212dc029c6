package faults

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// complaintText is a complaint on the website review form: the classifier routes it to the
// Complaints Procedure, and with an email address the notifier sends the patient one email.
const complaintText = "I waited two hours past my appointment time and nobody told me why"

// outcome is how intake answered one request.
type outcome struct {
	status        int // 0 when the request failed without an answer
	itemID        string
	contentType   string
	detail        string // the problem's detail, for a refusal
	err           error
	start, finish time.Time
}

func (o outcome) accepted() bool { return o.status >= 200 && o.status < 300 }

// client is the HTTP client of the tests' patients and of "Meta": no connection reuse, so that a
// request never rides a connection a fault has already broken, and a bound on every request.
var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// submitComplaint posts website complaint number n of run through intake's JSON API, with its own
// submission id and email address.
func submitComplaint(baseURL, run string, n int) outcome {
	body, _ := json.Marshal(map[string]string{
		"practice": "charlton-medical-centre", "channel": "website_review", "text": complaintText,
		"email": recipient(run, n), "submission_id": submissionID(run, n),
	})
	return post(baseURL+"/v1/submissions", body, nil)
}

func submissionID(run string, n int) string { return fmt.Sprintf("faults-%s-%05d", run, n) }

func recipient(run string, n int) string { return fmt.Sprintf("patient-%s-%05d@example.org", run, n) }

// deliverFacebook posts a webhook delivery signed with the app secret, as Meta does.
func deliverFacebook(baseURL string, body []byte) outcome {
	mac := hmac.New(sha256.New, []byte(fbSecret))
	mac.Write(body)
	return post(baseURL+"/webhooks/facebook", body, http.Header{"X-Hub-Signature-256": {"sha256=" + hex.EncodeToString(mac.Sum(nil))}})
}

// facebookComplaint is a Page webhook delivery of one patient's comment that complains.
func facebookComplaint(commentID string, written time.Time) []byte {
	return []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"changes":[{"field":"feed","value":`+
		`{"item":"comment","verb":"add","post_id":"202_7","comment_id":%q,"parent_id":"202_7","from":{"id":"9177","name":"Jo"},`+
		`"message":"Three weeks and nobody has called me back about my results. Appalling.","created_time":%d}}]}]}`,
		pageID, written.Unix(), commentID, written.Unix()))
}

func post(url string, body []byte, header http.Header) outcome {
	o := outcome{start: time.Now()}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		o.err = err
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	o.finish = time.Now()
	if err != nil {
		o.err = err
		return o
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	o.status, o.contentType = resp.StatusCode, resp.Header.Get("Content-Type")
	var answer struct {
		ItemID string `json:"item_id"`
		Detail string `json:"detail"`
	}
	_ = json.Unmarshal(raw, &answer)
	o.itemID, o.detail = answer.ItemID, answer.Detail
	return o
}

// ledger records what intake answered for every complaint a test sent.
type ledger struct {
	run string
	mu  sync.Mutex
	// accepted maps the id of every item intake acknowledged to its complaint number.
	accepted map[string]int
	all      []outcome
}

func newLedger(run string) *ledger { return &ledger{run: run, accepted: map[string]int{}} }

func (l *ledger) record(n int, o outcome) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, o)
	if o.accepted() {
		l.accepted[o.itemID] = n
	}
}

// acceptedIDs returns the ids of the items intake acknowledged.
func (l *ledger) acceptedIDs() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.accepted))
	for id, n := range l.accepted {
		out[id] = n
	}
	return out
}

// summary counts the answers by status (0: no answer).
func (l *ledger) summary() map[int]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := map[int]int{}
	for _, o := range l.all {
		s[o.status]++
	}
	return s
}

// sendComplaints submits complaints from..to-1 with workers at once, recording every answer; a
// refused complaint is not sent again (a patient might, but then it is a new request). It returns
// when all were sent.
func sendComplaints(baseURL string, l *ledger, from, to, workers int) {
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= to {
					return
				}
				l.record(n, submitComplaint(baseURL, l.run, n))
			}
		})
	}
	wg.Wait()
}

// keepSending submits complaints numbered from `from` on, with workers at once, each pausing
// between its requests, until the returned stop is called; stop returns once the last answer is
// recorded (it may be called again). A fault injected between the start and stop surely meets
// requests.
func keepSending(baseURL string, l *ledger, from, workers int, pause time.Duration) (stop func()) {
	var next atomic.Int64
	next.Store(int64(from))
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(pause):
				}
				n := int(next.Add(1) - 1)
				l.record(n, submitComplaint(baseURL, l.run, n))
			}
		})
	}
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		wg.Wait()
	}
}

// sendInBackground is sendComplaints in its own goroutine; the channel closes when all were sent.
func sendInBackground(baseURL string, l *ledger, from, to, workers int) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		sendComplaints(baseURL, l, from, to, workers)
	}()
	return done
}

// outcomesWithin returns the answers to requests made entirely between from and to.
func (l *ledger) outcomesWithin(from, to time.Time) []outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []outcome
	for _, o := range l.all {
		if !o.start.Before(from) && !o.finish.After(to) {
			out = append(out, o)
		}
	}
	return out
}

// outcomesSince returns the answers to requests made after t.
func (l *ledger) outcomesSince(t time.Time) []outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []outcome
	for _, o := range l.all {
		if !o.start.Before(t) {
			out = append(out, o)
		}
	}
	return out
}
