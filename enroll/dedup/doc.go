// Package dedup is the station's local duplicate check, run before an
// enrollment is sealed: the resident's NIK against the enrollments the
// station holds (a pending or accepted one blocks; after the centre asked
// for a re-record the new enrollment is linked to the refused one),
// demographic near-duplicates by normalised name, birth date and mother's
// name (candidates only), and a multi-modal 1:N search of the captured
// fingers and irises against the in-memory gallery (package index) of the
// station's sealed enrollments and the centre's kecamatan gallery. A review
// or duplicate decision opens an adjudication case in the store, which a
// supervisor other than the capturing operator decides.
package dedup
