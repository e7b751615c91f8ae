// Package synth generates synthetic biometric samples with ground truth:
// fingerprints in the manner of SFinGe, NIR iris images, frontal faces and
// on-line signatures. Every generator is deterministic: the same identity
// (and finger, eye, impression) always gives byte-identical output, and
// different identities give different persons.
//
// Randomness comes only from math/rand/v2 PCG sources seeded from the
// arguments through a SplitMix64 hash; nothing depends on the global source,
// on map iteration order or on the wall clock.
package synth
