package server_test

import "crypto/x509"

type x509CertPool = x509.CertPool

func newPool() *x509.CertPool { return x509.NewCertPool() }
