package facebook_test

// batch is a realistic signed-body payload: two Pages, patients' comments (one with \u00e9 and
// an emoji written as a surrogate pair), an edit, a removal, the Page's own reply, a visitor
// post, a negative recommendation, and changes that must be skipped (a reaction, a hidden
// comment, a share, a status without text, a non-feed field).
const batch = `{
  "object": "page",
  "entry": [
    {
      "id": "104729318451",
      "time": 1767225600,
      "changes": [
        {"field": "feed", "value": {
          "item": "comment", "verb": "add",
          "post_id": "104729318451_771", "comment_id": "771_9001", "parent_id": "104729318451_771",
          "from": {"id": "5550001", "name": "Ren\u00e9e Smith"},
          "message": "Waited 40 minutes, receptionist was caf\u00e9-rude \ud83d\ude21",
          "created_time": 1767225500
        }},
        {"field": "feed", "value": {
          "item": "reaction", "verb": "add", "reaction_type": "angry",
          "post_id": "104729318451_771", "from": {"id": "5550002", "name": "Sam"}
        }},
        {"field": "feed", "value": {
          "item": "comment", "verb": "edited",
          "post_id": "104729318451_771", "comment_id": "771_9001", "parent_id": "104729318451_771",
          "from": {"id": "5550001", "name": "Ren\u00e9e Smith"},
          "message": "Waited 40 minutes.",
          "created_time": "1767225560"
        }},
        {"field": "feed", "value": {
          "item": "comment", "verb": "add",
          "post_id": "104729318451_771", "comment_id": "771_9002", "parent_id": "771_9001",
          "from": {"id": "104729318451", "name": "Charlton Medical Centre"},
          "message": "Sorry to hear this, please call us on 020 7946 0000.",
          "created_time": 1767225590
        }},
        {"field": "feed", "value": {
          "item": "comment", "verb": "hide",
          "post_id": "104729318451_771", "comment_id": "771_9003",
          "from": {"id": "5550003", "name": "Troll"}
        }},
        {"field": "mention", "value": {"item": "post", "verb": "add", "post_id": "x_1"}}
      ]
    },
    {
      "id": "204811",
      "time": 1767229200,
      "changes": [
        {"field": "feed", "value": {
          "item": "comment", "verb": "remove",
          "post_id": "204811_5", "comment_id": "5_77", "parent_id": "204811_5",
          "from": {"id": "5550004"},
          "created_time": 1767229100
        }},
        {"field": "feed", "value": {
          "item": "status", "verb": "add", "published": 1,
          "post_id": "204811_6",
          "from": {"id": "5550005", "name": "Priya"},
          "message": "Can anyone get through on the phones at 8am?",
          "created_time": 1767229150
        }},
        {"field": "feed", "value": {
          "item": "share", "verb": "add", "share_id": "204811_8", "post_id": "204811_8",
          "from": {"id": "5550006", "name": "Jo"}
        }},
        {"field": "feed", "value": {
          "item": "status", "verb": "add", "post_id": "204811_9",
          "from": {"id": "204811", "name": "Riverside Surgery"}
        }},
        {"field": "feed", "value": {
          "item": "rating", "verb": "add",
          "open_graph_story_id": "31415926535", "post_id": "204811_10",
          "reviewer_id": "5550007", "reviewer_name": "Alex P",
          "recommendation_type": "negative", "rating": 1,
          "review_text": "Couldn't get an appointment for three weeks. \u00a9 nobody cares",
          "created_time": 1767229190
        }}
      ]
    }
  ]
}`
