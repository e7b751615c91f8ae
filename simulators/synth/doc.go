// Package synth generates synthetic biometric samples with ground truth, so
// that simulators, engines and tests can work without people or hardware:
//
//   - Fingerprints in the manner of SFinGe (Cappelli, Maio, Maltoni): the
//     pattern class comes from the identity and finger; an orientation field
//     from singular points (Sherlock–Monro zero-pole model; a bump model for
//     plain arches) and a smoothly varying ridge period (~9 px at 500 dpi)
//     steer a master print grown from random seeds by iterative Gabor
//     filtering; each impression then applies a rigid pose, Cappelli-style
//     elastic distortion, an elliptical contact region, pressure (ridge
//     thickness), pores, noise and wet/dry/low-quality artefacts. Finger,
//     FingerTruth (class, singular points, master minutiae),
//     FingerImpressionTruth (the same in image coordinates), SlapImage.
//   - NIR iris images (320×280, CASIA-like): Iris, IrisWith, IrisTruth. The
//     texture is fixed in the rubber-sheet frame, so pupil dilation and eye
//     rotation between impressions behave as matchers assume.
//   - Frontal faces good enough for detection tests: Face, FaceVariant,
//     FaceLandmarks.
//   - On-line signatures sampled at 200 Hz: Signature, Forgery.
//
// Conventions: images are 500 dpi for fingerprints; coordinates are pixels
// with x to the right and y down; angles are radians in those axes (so a
// positive rotation is clockwise on screen). Finger positions follow ISO/IEC
// 19794-4: 1 right thumb … 5 right little, 6 left thumb … 10 left little.
// Eye 0 is the right eye, 1 the left.
//
// Determinism: the same arguments always give byte-identical output on one
// platform (floating-point contraction may differ slightly across CPU
// architectures; golden tests compare with a tolerance). Randomness comes
// only from math/rand/v2 PCG sources seeded from the arguments through a
// SplitMix64 hash; nothing depends on the global source, on map iteration
// order or on the clock. Grown master prints are kept in a small LRU cache;
// every function is safe for concurrent use.
package synth
