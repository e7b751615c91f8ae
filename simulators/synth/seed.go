package synth

import "math/rand/v2"

// Domains separate the random streams of the generators, so that for example
// the iris of identity 7 is unrelated to its fingerprints.
const (
	domFingerClass uint64 = 0xF1 + iota
	domFingerMaster
	domFingerImpression
	domIrisPerson
	domIrisImpression
	domFacePerson
	domFaceImpression
	domSignWriter
	domSignImpression
	domSignForger
)

// splitmix64 is one step of the SplitMix64 generator, used as a hash.
func splitmix64(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// seedOf hashes a domain and a list of values into one 64-bit seed.
func seedOf(domain uint64, vals ...uint64) uint64 {
	h := splitmix64(domain)
	for _, v := range vals {
		h = splitmix64(h ^ v)
	}
	return h
}

// newRand returns a PCG-backed generator seeded from the domain and values.
func newRand(domain uint64, vals ...uint64) *rand.Rand {
	s := seedOf(domain, vals...)
	return rand.New(rand.NewPCG(s, splitmix64(s^0xD1B54A32D192ED03)))
}

// uniform returns a float64 uniformly drawn from [lo, hi).
func uniform(r *rand.Rand, lo, hi float64) float64 {
	return lo + (hi-lo)*r.Float64()
}

// gauss returns a normal deviate with the given mean and standard deviation,
// clipped to mean ± 3 sd so that no sample is absurd.
func gauss(r *rand.Rand, mean, sd float64) float64 {
	z := r.NormFloat64()
	if z > 3 {
		z = 3
	} else if z < -3 {
		z = -3
	}
	return mean + sd*z
}
