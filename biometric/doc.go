// Package biometric groups the station's pure-Go biometric engines: finger,
// iris, face and signature, and the standard record layouts in formats. It
// imports no other package of the project.
package biometric
