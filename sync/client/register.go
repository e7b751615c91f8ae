package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rekam-ktp/rekam/sync/pki"
	"github.com/rekam-ktp/rekam/sync/proto"
)

// Registration is what a station keeps after registering: its TLS key and
// certificate, the server's CA, packet-encryption key and receipt key.
type Registration struct {
	StationID  string `json:"station_id"`
	Server     string `json:"server"`
	CertPEM    []byte `json:"cert_pem"`
	KeyPEM     []byte `json:"key_pem"`
	CAPEM      []byte `json:"ca_pem"`
	PacketKey  []byte `json:"packet_key"`
	ReceiptKey []byte `json:"receipt_key"`
}

// SplitToken splits a registration token "secret.cafingerprint".
func SplitToken(token string) (secret, caFingerprint string, err error) {
	secret, caFingerprint, ok := strings.Cut(token, ".")
	if !ok || secret == "" || len(caFingerprint) != 64 {
		return "", "", errors.New("registration token must be SECRET.CA-SHA256 as printed by `rekam-pusat station add`")
	}
	return secret, caFingerprint, nil
}

// Register enrolls this station with the server using a one-time token.
// The token pins the server's CA, so the first contact is authenticated
// too.
func Register(ctx context.Context, serverURL, token, stationID string, signingKey ed25519.PublicKey) (*Registration, error) {
	secret, caFP, err := SplitToken(token)
	if err != nil {
		return nil, err
	}
	csr, key, err := pki.NewStationRequest(stationID)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true, // replaced by the pinned-CA check below
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) < 2 {
				return errors.New("server sent no CA certificate to pin")
			}
			ca := cs.PeerCertificates[len(cs.PeerCertificates)-1]
			if pki.Fingerprint(ca) != caFP {
				return errors.New("server CA does not match the token's fingerprint")
			}
			pool := x509.NewCertPool()
			pool.AddCert(ca)
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: pool})
			return err
		},
	}}
	body, _ := json.Marshal(proto.RegisterRequest{StationID: stationID, Token: secret + "." + caFP, CSR: csr, SigningKey: signingKey})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, serverURL+proto.PathRegister, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	c := &Client{HTTP: &http.Client{Transport: tr}}
	var resp proto.RegisterResponse
	if err := c.do(req, &resp); err != nil {
		return nil, fmt.Errorf("register %s: %w", stationID, err)
	}
	keyPEM, err := pki.EncodeKey(key)
	if err != nil {
		return nil, err
	}
	return &Registration{StationID: stationID, Server: serverURL, CertPEM: resp.Certificate, KeyPEM: keyPEM, CAPEM: resp.CA,
		PacketKey: resp.PacketKey, ReceiptKey: resp.ReceiptKey}, nil
}

// Client returns an upload client for this registration.
func (r *Registration) Client() (*Client, error) {
	return New(r.Server, r.CAPEM, r.CertPEM, r.KeyPEM, ed25519.PublicKey(r.ReceiptKey))
}
