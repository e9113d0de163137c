package login

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/pkg/cmdutil"
	"github.com/authdoctor/authdoctor/pkg/netx"
	"github.com/authdoctor/authdoctor/pkg/rehearsal"
	"golang.org/x/term"
)

// waitForCallback sends the user to the IdP and waits for the browser to
// come back to the listener, or for the address-bar URL to be pasted on
// stdin, until --wait or Ctrl-C.
func (o *Options) waitForCallback(ctx context.Context, r *rehearsal.Rehearsal, ln *netx.CallbackListener) (*url.URL, string, error) {
	authURL := r.AuthorizationURL()
	o.tellUser(r)
	opened := false
	if !o.NoBrowser {
		open := o.Browser
		if open == nil {
			open = o.systemBrowser
		}
		if err := open(ctx, authURL); err == nil {
			opened = true
		} else {
			cmdutil.Notes(o.IO, o.G, []string{"could not open a browser (" + err.Error() + "): open the URL below yourself"})
		}
	}
	if !opened {
		// The URL goes out whole, on a line of its own, so that it can be
		// copied (and read by scripts): never wrapped.
		fmt.Fprintf(o.IO.ErrOut, "authdoctor: open this URL in a browser:\n  %s\n", authURL)
	}
	fmt.Fprintf(o.IO.ErrOut, "authdoctor: waiting up to %s for the browser to come back to %s (on another machine, paste the address-bar URL you land on here) …\n", o.Wait, ln.RedirectURI())
	pasted := readPasted(o.IO.In, o.IO.ErrOut)
	timer := time.NewTimer(o.Wait)
	defer timer.Stop()
	for {
		select {
		case u := <-ln.URLs():
			return u, "browser", nil
		case u, ok := <-pasted:
			if !ok {
				pasted = nil // stdin ended: keep waiting for the browser
				continue
			}
			return u, "pasted", nil
		case <-timer.C:
			return nil, "", cmdutil.Jobf("waited %s for the browser to come back to %s (or for its address-bar URL on stdin), and nothing came: if the IdP showed an error page, paste that page's address-bar URL; if it said the redirect URI is not registered, register %s for client %q; a longer --wait gives the user more time",
				o.Wait, ln.RedirectURI(), registered(r), r.Client.ClientID)
		case <-ctx.Done():
			return nil, "", cmdutil.ErrInterrupted
		}
	}
}

func registered(r *rehearsal.Rehearsal) string {
	if reg := r.Result.RegisterURI; reg != nil {
		return reg.URI
	}
	return r.Request.Session.RedirectURI
}

// tellUser says, on stderr, which redirect URI the IdP must accept and how
// the request differs from the app's own.
func (o *Options) tellUser(r *rehearsal.Rehearsal) {
	var notes []string
	if reg := r.Result.RegisterURI; reg != nil {
		notes = append(notes, "redirect URI to register at the IdP: "+reg.URI+" ("+reg.Why+")")
	}
	notes = append(notes, r.Request.Notes...)
	cmdutil.Notes(o.IO, o.G, notes)
}

// readPasted hands over each line of stdin that is a callback URL (it
// carries code= or error=); other lines get a hint. The channel closes at
// the end of stdin.
func readPasted(in io.Reader, errOut io.Writer) chan *url.URL {
	out := make(chan *url.URL, 1)
	if in == nil {
		close(out)
		return out
	}
	go func() {
		defer close(out)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := strings.Trim(strings.TrimSpace(sc.Text()), `"'`)
			if line == "" {
				continue
			}
			u, err := url.Parse(line)
			if err == nil && u.Host != "" && (u.Query().Get("code") != "" || u.Query().Get("error") != "" || strings.Contains(u.Fragment, "code=") || strings.Contains(u.Fragment, "error=")) {
				out <- u
				return
			}
			fmt.Fprintln(errOut, "authdoctor: that is not the URL the IdP sent the browser back to (it carries code= or error=): paste the whole address-bar URL")
		}
	}()
	return out
}

// systemBrowser opens the URL with $BROWSER or the system's opener; on a
// Linux machine without a display it does not try.
func (o *Options) systemBrowser(_ context.Context, u string) error {
	getenv := o.IO.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var cmd *exec.Cmd
	switch b := getenv("BROWSER"); {
	case b != "":
		cmd = exec.Command(b, u)
	case runtime.GOOS == "darwin":
		cmd = exec.Command("open", u)
	case runtime.GOOS == "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	case getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "":
		return fmt.Errorf("no display (DISPLAY and WAYLAND_DISPLAY are unset)")
	default:
		cmd = exec.Command("xdg-open", u)
	}
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// readPassword reads a line without echo from a terminal.
func readPassword(in io.Reader) ([]byte, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return term.ReadPassword(int(f.Fd()))
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err == io.EOF {
		err = nil
	}
	return []byte(line), err
}
