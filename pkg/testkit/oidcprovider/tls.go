package oidcprovider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// testCA is a root made at run time and one server certificate it signed.
type testCA struct {
	pool    *x509.CertPool
	caFile  string // root, PEM
	certPEM string // server certificate chain file
	keyPEM  string // server private key file
}

// newTestCA makes a CA and a server certificate for hosts (DNS names or IP
// addresses), writing the PEM files into dir.
func newTestCA(dir string, hosts []string) (*testCA, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          randSerial(),
		Subject:               pkix.Name{CommonName: "authdoctor oidc-provider test CA", Organization: []string{"authdoctor tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(48 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}

	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: randSerial(),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			leafTmpl.IPAddresses = append(leafTmpl.IPAddresses, ip)
		} else {
			leafTmpl.DNSNames = append(leafTmpl.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("server certificate: %w", err)
	}
	leafKeyDER, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		return nil, err
	}

	ca := &testCA{
		pool:    x509.NewCertPool(),
		caFile:  filepath.Join(dir, "ca.pem"),
		certPEM: filepath.Join(dir, "server-cert.pem"),
		keyPEM:  filepath.Join(dir, "server-key.pem"),
	}
	ca.pool.AddCert(caCert)
	files := []struct {
		path  string
		mode  os.FileMode
		block []*pem.Block
	}{
		{ca.caFile, 0o644, []*pem.Block{{Type: "CERTIFICATE", Bytes: caDER}}},
		{ca.certPEM, 0o644, []*pem.Block{{Type: "CERTIFICATE", Bytes: leafDER}}},
		{ca.keyPEM, 0o600, []*pem.Block{{Type: "PRIVATE KEY", Bytes: leafKeyDER}}},
	}
	for _, f := range files {
		var data []byte
		for _, b := range f.block {
			data = append(data, pem.EncodeToMemory(b)...)
		}
		if err := os.WriteFile(f.path, data, f.mode); err != nil {
			return nil, err
		}
	}
	return ca, nil
}

func randSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n
}
