package packet

import "fmt"

// Part names the part of a packet that failed verification.
type Part string

// The parts a verification failure can name.
const (
	PartFraming   Part = "framing"
	PartRecipient Part = "recipient"
	PartDecrypt   Part = "decryption"
	PartSchema    Part = "schema"
	PartManifest  Part = "manifest"
	PartSignature Part = "signature"
	PartSigner    Part = "signer"
	PartHash      Part = "hash"
)

// Error is a packet that could not be opened or verified; Part says which
// part failed and Reason says how.
type Error struct {
	Part   Part
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("packet %s: %s", e.Part, e.Reason) }
