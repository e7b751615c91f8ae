package pki

import (
	"crypto/tls"
	"crypto/x509"
	"testing"
	"time"
)

func TestStationCertificateChain(t *testing.T) {
	now := time.Now()
	ca, err := NewCA("Rekam test CA", now)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewCA("other", now)
	csr, key, err := NewStationRequest("evil-name")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.IssueStation(csr, "ST-321101-01", now)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "ST-321101-01" {
		t.Fatalf("CN %q: the request's name must not win", cert.Subject.CommonName)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Fatalf("station cert does not chain: %v", err)
	}
	otherPool := x509.NewCertPool()
	otherPool.AddCert(other.Cert)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: otherPool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err == nil {
		t.Fatal("verified against the wrong CA")
	}
	kp, _ := EncodeKey(key)
	if _, err := tls.X509KeyPair(EncodeCert(cert), kp); err != nil {
		t.Fatalf("key pair: %v", err)
	}
	if _, err := ca.IssueStation([]byte("junk"), "x", now); err == nil {
		t.Fatal("accepted a junk request")
	}
	if len(ca.Fingerprint()) != 64 {
		t.Fatal("fingerprint is not SHA-256 hex")
	}
}
