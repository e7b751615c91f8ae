// Package enroll is the recording station's domain: residents and their
// biodata, the enrollment lifecycle (an explicit state machine with the KTP-el
// state names), and the rules that join them. Its sub-packages hold the NIK
// rules (nik), the SIAK code lists (siak), region master data (wilayah), the
// encrypted offline store (store), station keys (keys), operators and the
// audit log.
package enroll
