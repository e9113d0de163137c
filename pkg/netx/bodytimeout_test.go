package netx_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/testkit"
)

// A server that trickles a body and ends it cleanly the moment the client
// gives up (the hostile-server suite, pkg/hostile, found it): the body
// timer cancels the request, the TLS close_notify reaches the server, and
// its final empty chunk could reach the client's pending read before the
// connection closed, so the read ended with a clean EOF and the partial
// body was taken as the whole document (DSC002 "truncated JSON" instead of
// DSC001 timeout). A fetch whose body timer fired is a timeout, however
// the read ended.
func TestBodyTimeoutWinsOverCleanEndAfterCancel(t *testing.T) {
	ca := testkit.NewCA(t, "authdoctor test root CA")
	cert := ca.Leaf(t, "idp.hostile.test", "127.0.0.1")
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				br := bufio.NewReader(c)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
				// Wait for the client to give up (close_notify or close),
				// then end the body at once, cleanly.
				io.Copy(io.Discard, br)
				io.WriteString(c, "0\r\n\r\n")
			}(c)
		}
	}()
	opts := netx.Options{Timeout: 100 * time.Millisecond, CAFile: ca.WritePEM(t),
		ConnectTo: []string{"idp.hostile.test:443:" + ln.Addr().String()}}
	// Under -race on a loaded machine a TLS handshake can itself take
	// longer than the 100ms timeout: such fetches never reach the body
	// and say nothing about this race, so they are not counted.
	clean, reached := 0, 0
	for i := 0; i < 200 && reached < 30; i++ {
		c, err := netx.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		r := c.Fetch(context.Background(), "https://idp.hostile.test/keys")
		c.Close()
		var ne *netx.Error
		if r.Err == nil {
			clean++
			reached++
			continue
		}
		if errors.As(r.Err, &ne) && ne.Stage != netx.StageTimeout && (ne.Stage == netx.StageTLS || ne.Stage == netx.StageConnect) {
			continue
		}
		if errors.As(r.Err, &ne) && ne.Stage == netx.StageTimeout && ne.During != "body" {
			continue
		}
		reached++
		if !errors.As(r.Err, &ne) || ne.Stage != netx.StageTimeout || ne.During != "body" {
			t.Fatalf("fetch %d: %v (stage %s, during %q), want a body timeout", i, r.Err, r.Err.Stage, r.Err.During)
		}
	}
	if reached < 10 {
		t.Fatalf("only %d fetches reached the body: the machine is too loaded to test this race", reached)
	}
	if clean > 0 {
		t.Fatalf("%d of %d fetches took a 1-byte body cut by the timeout for a complete one", clean, reached)
	}
}
