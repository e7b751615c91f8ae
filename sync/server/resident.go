package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/rekam-ktp/rekam/sync/proto"
)

// nikHash is the keyed hash of a NIK kept in the lookup audit, so the audit
// log itself holds no NIK.
func (s *Server) nikHash(nik string) string {
	m := hmac.New(sha256.New, s.ReceiptKey.Seed())
	m.Write([]byte("rekam nik audit\x00" + nik))
	return hex.EncodeToString(m.Sum(nil))
}

// resident answers a NIK call-up from an authenticated station; every
// lookup, found or not, is audited with the station and a keyed hash.
func (s *Server) resident(w http.ResponseWriter, r *http.Request, st Station) {
	q, err := proto.Decode[proto.ResidentQuery](r.Body)
	if err != nil || len(q.NIK) != 16 {
		reject(w, http.StatusBadRequest, "", "a 16-digit NIK is required", true)
		return
	}
	bio, err := s.Backend.ResidentByNIK(r.Context(), st.ID, q.NIK, s.nikHash(q.NIK), s.now())
	switch {
	case errors.Is(err, ErrNotFound):
		reject(w, http.StatusNotFound, "", "NIK not in SIAK", true)
	case err != nil:
		reject(w, http.StatusInternalServerError, "", "lookup failed", false)
	default:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(bio)
	}
}
