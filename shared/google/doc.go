// Package google takes in Google Business Profile reviews: it parses the Pub/Sub push requests that
// announce a new or updated review, authenticates them, fetches the review from the Business
// Profile API (v4) and posts replies. Fake is a local stand-in for that API, for tests.
//
// Standard library only. Errors never repeat a push body, a review's text or a token.
package google
