// Package faults proves the delivery guarantees of SPEC section 7 under faults: nothing
// acknowledged is lost, nothing is done twice. Its tests build the ingest, classifier and
// notifier binaries and a NATS server, run them as processes against Postgres and local fakes of
// the Facebook Graph API and GOV.UK Notify, push items in through ingest's HTTP API, then kill,
// stop, slow down or cut what they depend on, and check with SQL and the fakes that every item
// that got a 2xx was stored once, decided once, and acted on once, and that no patient got a
// message twice. It holds tests only.
package faults
