package textrules

var (
	abusive = newPatterns(
		// A word with letters masked by symbols is profanity the writer chose to mask: f***, sh*t, b*stards.
		`(?i)\b[a-z]+[\*#@]+[a-z]*\b|\bf[\*#@]+(?:\s|$)|\bf'?ing\b`,
		`(?i)\b(?:f+u+c+k+\w*|shit\w*|shite|bastards?|cunts?|wank\w*|twats?|tossers?|dickheads?|pricks?|arseholes?|assholes?|bitch\w*|bollocks|bloody useless|piss(?:ed)?[ -](?:off|poor|take)|scum\w*|morons?|idiots?|stuck up cow|cow on reception|sad little \w+|jumped up \w+)\b`,
		`(?i)\b(?:i'?ll|i will|gonna|going to)\s+(?:kill|hurt|smash|batter|get|sort)\s+(?:you|them|him|her)\b`,
		`(?i)\bwatch (?:your|their|her|his)(?:self|selves| back)s?\b|\bwants to watch (?:herself|himself)\b|\bknow where (?:you|she|he|they) lives?\b|\b(?:she|he|you)'?d better hope\b|\bbrick through\b|\bgod help anyone\b|\bget what'?s coming\b|\bwaiting outside for\b|\b(?:she|he|you)'?ll regret it\b|\bi'?ll be down there\b|\blike dirt\b`,
	)

	defamatory = newPatterns(
		`(?i)\b(?:liars?|frauds?|fraudulent|fraudsters?|thie(?:f|ves)|crooks?|crooked|corrupt|criminals?|scam(?:mers?)?|quacks?|embezzl\w*|backhanders?|bribes?|forged|forgery|falsif\w+|malpractice|dishonest)\b`,
		`(?i)\b(?:stealing|steals?|stole)\s+(?:from|money|the)\b|\b(?:lie|lies|lied|lying)\s+(?:to|about)\b|\bbought (?:his|her|their) (?:degree|qualifications?)\b|\b(?:covers?|covering|covered) (?:it |this |things |them )?up\b|\bfiddl\w+ (?:the|their|prescriptions|figures|the books)\b|\bbilling the nhs\b|\bsells? appointments\b`,
		`(?i)\b(?:should be|was|been|be) struck off\b|\bnot fit to (?:practi[cs]e|be a doctor|treat)\b|\bunfit to practi[cs]e\b|\b(?:isn'?t|not) qualified\b|\bshould not be treating\b|\bshouldn'?t be allowed near\b|\bis (?:a )?dangerous\b|\bbefore (?:she|he|they) kills?\b|\b(?:has a drink problem|is a drunk|is drunk at work)\b|\bon the take\b`,
	)

	// Safeguarding: recall matters most, so the lists are wide; a person reads every alert.
	safeguarding = newPatterns(
		// Suicidal thoughts and self-harm.
		`(?i)\bsuicid\w*|\bkill(?:ing)? (?:myself|himself|herself|themselves)\b|\bend(?:ing)? (?:it all|my life|it\b|his life|her life)|\btake my (?:own )?life\b|\bwants? to die\b|\bwant(?:ed)? to die\b|\bbetter (?:off )?(?:without me|not here|dead)\b|\bdon'?t want to (?:be here|live|wake up)\b|\bno (?:reason|point) (?:to live|anymore|in (?:living|carrying on|going on))\b|\b(?:don'?t|doesn'?t) see the point\b|\bcan'?t go on\b|\bscared of what i might do\b|\b(?:not|won'?t) (?:still )?be around\b|\bfeel like giving up\b|\bgiving up on everything\b`,
		`(?i)\bself[- ]?harm\w*|\b(?:cutting|hurting|harming) (?:myself|herself|himself|themselves|again)\b|\bthoughts of (?:hurting|harming|ending)\b|\b(?:took|taken|take) (?:too many|an overdose)|\boverdos\w*|\bdark (?:days|thoughts)\b|\b(?:stopped|not really|isn'?t|not) eating\b|\beating disorder\b|\bhadn'?t eaten\b`,
		// Abuse and violence.
		`(?i)\b(?:hits?|hitting|beats?|beating|beaten|punch\w*|kick\w*) (?:me|her|him|mum|mam|my|them)\b|\bhurt me again\b|\bcontrols? (?:all )?my money\b|\bwon'?t let me (?:go|see|leave)\b|\bbruis\w*|\bscreaming at (?:him|her|them)\b|\bshouts at (?:her|him)\b|\btaking (?:her|his) money\b|\bterrified to go (?:back|home)\b|\bnot safe at home\b|\bscared to go home\b|\babus(?:e|ed|ing|ive)\b`,
		// Neglect of someone vulnerable.
		`(?i)\bneglect\w*|\bleft (?:alone|on (?:his|her|their) own|without (?:any )?(?:carers?|care|food|heating)|on the floor)\b|\bcarers? (?:haven'?t|have not|hasn'?t|didn'?t) (?:turned up|come|been)\b|\bwithout (?:her|his|their) carers\b|\bno (?:food|heating) in\b|\bheating'?s? (?:been )?off\b|\bnot coping\b|\bcan'?t cope\b|\bwandering at night\b|\bcan'?t get out of bed\b|\bunwashed\b|\bsame clothes\b|\bin just a nappy\b|\bno coat\b|\bnot answering the door\b|\bcurtains (?:have been )?(?:shut|closed) for\b|\bnobody has (?:visited|come|been)\b|\bno one has (?:visited|come|been)\b|\bfell (?:twice|again)\b|\bworried about (?:a child|the child|the kid|my neighbour|the elderly)|\bbeing neglected\b`,
	)
)
