// Package synth is the entry point to the synthetic biometric generators,
// which give simulators, engines and tests samples with ground truth
// without people or hardware. It is a thin API over one package per
// modality:
//
//   - finger: SFinGe-style fingerprints (Finger, FingerTruth,
//     FingerImpressionTruth, FingerImpressionPose, SlapImage, SlapLayout);
//   - iris: NIR iris images (Iris, IrisTruth, IrisWith);
//   - face: frontal faces with landmarks (Face, FaceVariant, FaceLandmarks);
//   - signature: on-line signatures at 200 Hz (Signature, Forgery).
//
// Conventions: fingerprints are 500 dpi; coordinates are pixels with x to
// the right and y down; angles are radians in those axes (a positive
// rotation is clockwise on screen). Finger positions follow ISO/IEC
// 19794-4: 1 right thumb … 5 right little, 6 left thumb … 10 left little.
// Eye 0 is the right eye, 1 the left.
//
// Determinism: the same arguments always give byte-identical output on one
// platform (floating-point contraction may differ slightly across CPU
// architectures; golden tests compare with a tolerance). Randomness comes
// only from math/rand/v2 PCG sources seeded from the arguments through a
// SplitMix64 hash, one domain per generator; nothing depends on the global
// source, on map iteration order or on the clock. Every function is safe
// for concurrent use.
package synth
