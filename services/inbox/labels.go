package inbox

// Words a Practice Manager reads for the system's identifiers.
var (
	channelLabels = map[string]string{
		"website_review": "Website review", "complaint_form": "Complaint form", "fft_web": "FFT (web)", "fft_paper": "FFT (paper card)",
		"fft_sms": "FFT (SMS)", "google_review": "Google review", "facebook_comment": "Facebook comment",
		"facebook_post": "Facebook post", "facebook_recommendation": "Facebook recommendation", "third_party_review": "Review on another site",
	}
	routeLabels = map[string]string{
		"official_review": "Official review", "unofficial_review": "Review elsewhere", "complaint": "Complaint", "other": "Not feedback",
	}
	flagLabels = map[string]string{
		"staff_identified": "Names staff", "patient_info": "Another patient's details", "abusive": "Abusive",
		"defamatory": "Defamatory", "safeguarding": "Safeguarding",
	}
	kindLabels = map[string]string{
		"urgent": "Urgent: safeguarding", "needs_review": "Needs review", "respond": "To respond", "signpost": "Signposted to the Complaints Procedure",
		"delete_requested": "Delete requested", "complaint_case": "Complaint case", "complaint_awareness": "Complaint on another site",
		"moderation": "Moderation", "ignored": "Ignored",
	}
	ratingLabels = map[string]string{
		"very_good": "Very good", "good": "Good", "neither_good_nor_poor": "Neither good nor poor", "poor": "Poor",
		"very_poor": "Very poor", "dont_know": "Don't know", "recommends": "Recommends", "doesnt_recommend": "Doesn't recommend",
		"1": "1 star", "2": "2 stars", "3": "3 stars", "4": "4 stars", "5": "5 stars",
	}
	moderationLabels = map[string]string{"pending": "To hide", "hidden": "Hidden", "failed": "Hiding failed", "reported": "Reported"}
	messageLabels    = map[string]string{
		"held": "Held until a person confirms", "pending": "Waiting to send", "sending": "Sending", "sent": "Sent",
		"failed": "Failed", "cancelled": "Cancelled",
	}
	purposeLabels = map[string]string{"delete_request": "Asks the poster to delete the post", "complaints_signpost": "Signposts to the Complaints Procedure"}
	mediumLabels  = map[string]string{"email": "Email", "facebook_private_reply": "Facebook private reply"}
)

func label(m map[string]string, key string) string {
	if l, ok := m[key]; ok {
		return l
	}
	return key
}
