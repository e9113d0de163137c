package oidc

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"time"
)

// Cert summarises the first certificate of a key's x5c.
type Cert struct {
	Subject    string    `json:"subject"`
	Issuer     string    `json:"issuer"`
	NotBefore  time.Time `json:"notBefore"`
	NotAfter   time.Time `json:"notAfter"`
	SelfSigned bool      `json:"selfSigned,omitempty"`
	// ChainLength is the number of certificates in x5c.
	ChainLength int `json:"chainLength"`
	// ParseProblem is set when Go's crypto/x509 refuses the certificate
	// and it was read with a lenient reader instead (e.g. a negative
	// serial number).
	ParseProblem string `json:"parseProblem,omitempty"`

	pub crypto.PublicKey
	der []byte
}

type lenientValidity struct {
	NotBefore, NotAfter time.Time
}

type lenientTBS struct {
	Version         int `asn1:"optional,explicit,default:0,tag:0"`
	Serial          asn1.RawValue
	SigAlg          asn1.RawValue
	Issuer          asn1.RawValue
	Validity        lenientValidity
	Subject         asn1.RawValue
	SPKI            asn1.RawValue
	IssuerUniqueID  asn1.BitString `asn1:"optional,tag:1"`
	SubjectUniqueID asn1.BitString `asn1:"optional,tag:2"`
	Extensions      asn1.RawValue  `asn1:"optional,explicit,tag:3"`
}

type lenientCert struct {
	TBS    lenientTBS
	SigAlg asn1.RawValue
	Sig    asn1.BitString
}

// parseCert reads a DER certificate: with crypto/x509 when it can, else
// leniently (subject, issuer, validity and public key only).
func parseCert(der []byte) (*Cert, error) {
	if c, err := x509.ParseCertificate(der); err == nil {
		return &Cert{Subject: c.Subject.String(), Issuer: c.Issuer.String(),
			NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(),
			SelfSigned: c.Subject.String() == c.Issuer.String(), pub: c.PublicKey, der: der}, nil
	} else {
		var lc lenientCert
		rest, lerr := asn1.Unmarshal(der, &lc)
		if lerr != nil || len(rest) > 0 {
			return nil, err
		}
		pub, perr := x509.ParsePKIXPublicKey(lc.TBS.SPKI.FullBytes)
		if perr != nil {
			return nil, err
		}
		name := func(raw asn1.RawValue) string {
			var rdn pkix.RDNSequence
			if _, e := asn1.Unmarshal(raw.FullBytes, &rdn); e != nil {
				return "(unreadable name)"
			}
			var n pkix.Name
			n.FillFromRDNSequence(&rdn)
			return n.String()
		}
		c := &Cert{Subject: name(lc.TBS.Subject), Issuer: name(lc.TBS.Issuer),
			NotBefore: lc.TBS.Validity.NotBefore.UTC(), NotAfter: lc.TBS.Validity.NotAfter.UTC(),
			pub: pub, der: der, ParseProblem: fmt.Sprintf("Go's crypto/x509 refuses it (%v)", err)}
		c.SelfSigned = c.Subject == c.Issuer
		return c, nil
	}
}
