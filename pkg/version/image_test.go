package version_test

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// releaseConfig is the part of .goreleaser.yaml the image and the archives
// rely on (TestGoReleaserConfig validates the whole file against
// GoReleaser's schema).
type releaseConfig struct {
	Builds []struct {
		ID     string   `yaml:"id"`
		Binary string   `yaml:"binary"`
		Env    []string `yaml:"env"`
		Goos   []string `yaml:"goos"`
		Goarch []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		Files []any `yaml:"files"`
	} `yaml:"archives"`
	Dockers []struct {
		ID         string            `yaml:"id"`
		IDs        []string          `yaml:"ids"`
		Dockerfile string            `yaml:"dockerfile"`
		Images     []string          `yaml:"images"`
		Tags       []string          `yaml:"tags"`
		Platforms  []string          `yaml:"platforms"`
		BuildArgs  map[string]string `yaml:"build_args"`
	} `yaml:"dockers_v2"`
}

func readReleaseConfig(t *testing.T) releaseConfig {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg releaseConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// dockerfile is what the test reads of a Dockerfile: the ARG defaults
// before FROM, the FROM image, and the instructions after it.
type dockerfile struct {
	args       map[string]string
	from       string
	copies     [][2]string // source, destination
	user       string      // the last USER
	entrypoint string      // as written
}

// parseDockerfile reads the subset of Dockerfile syntax the project's
// file uses (one instruction per line, # comments).
func parseDockerfile(t *testing.T, text string) dockerfile {
	t.Helper()
	d := dockerfile{args: map[string]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(instr) {
		case "ARG":
			name, def, _ := strings.Cut(rest, "=")
			if d.from == "" {
				d.args[name] = def
			}
		case "FROM":
			d.from = rest
		case "COPY":
			f := strings.Fields(rest)
			if len(f) != 2 {
				t.Fatalf("COPY with %d operands: %q", len(f), line)
			}
			d.copies = append(d.copies, [2]string{f[0], f[1]})
		case "USER":
			d.user = rest
		case "ENTRYPOINT":
			d.entrypoint = rest
		}
	}
	return d
}

// The release builds a container image: GoReleaser's dockers_v2 (buildx,
// a manifest list per tag) for linux/amd64 and linux/arm64 from the
// static linux binaries of the build, on distroless static (CA
// certificates, no shell) or its debug variant, as a non-root user, with
// ENTRYPOINT ["authdoctor"] finding the binary the Dockerfile copies. No
// Docker engine runs where the tests run, so the image itself is not
// built here: this checks what the build would use.
func TestReleaseImage(t *testing.T) {
	cfg := readReleaseConfig(t)
	if len(cfg.Builds) != 1 || len(cfg.Dockers) == 0 {
		t.Fatalf("want one build and a dockers_v2 image, have %d and %d", len(cfg.Builds), len(cfg.Dockers))
	}
	b := cfg.Builds[0]
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Goos, "linux") {
		t.Fatalf("the image needs a static linux build: env %v goos %v", b.Env, b.Goos)
	}
	seenTags := map[string]string{}
	for _, img := range cfg.Dockers {
		if !slices.Equal(img.IDs, []string{b.ID}) {
			t.Errorf("%s: ids %v, want the build %q", img.ID, img.IDs, b.ID)
		}
		if !slices.Equal(img.Platforms, []string{"linux/amd64", "linux/arm64"}) {
			t.Errorf("%s: platforms %v", img.ID, img.Platforms)
		}
		for _, p := range img.Platforms {
			os, arch, _ := strings.Cut(p, "/")
			if !slices.Contains(b.Goos, os) || !slices.Contains(b.Goarch, arch) {
				t.Errorf("%s: platform %s is not built", img.ID, p)
			}
		}
		if len(img.Images) == 0 || len(img.Tags) == 0 {
			t.Errorf("%s: images %v tags %v", img.ID, img.Images, img.Tags)
		}
		for _, tag := range img.Tags {
			if prev, ok := seenTags[tag]; ok {
				t.Errorf("tag %q is pushed by both %s and %s", tag, prev, img.ID)
			}
			seenTags[tag] = img.ID
		}
		checkDockerfile(t, img.ID, img.Dockerfile, img.BuildArgs, b.Binary)
	}
}

func checkDockerfile(t *testing.T, id, file string, buildArgs map[string]string, binary string) {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "..", file))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	d := parseDockerfile(t, string(text))
	// The base, with the build's --build-arg over the ARG default.
	base := d.from
	if m := regexp.MustCompile(`^\$\{?(\w+)\}?$`).FindStringSubmatch(base); m != nil {
		base = d.args[m[1]]
		if v, ok := buildArgs[m[1]]; ok {
			base = v
		}
	}
	if !regexp.MustCompile(`^(scratch|gcr\.io/distroless/static-debian\d+:(nonroot|debug-nonroot))$`).MatchString(base) {
		t.Errorf("%s: base %q is not distroless static (nonroot) or scratch", id, base)
	}
	if base == "scratch" {
		t.Errorf("%s: scratch has no CA certificates for the IdP's TLS: copy them in or use distroless static", id)
	}
	// USER: not root by name or number, and numeric so that Kubernetes'
	// runAsNonRoot can check it without /etc/passwd.
	user, _, _ := strings.Cut(d.user, ":")
	if user == "" || user == "root" || user == "0" || !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(user) {
		t.Errorf("%s: USER %q is not a numeric non-root user", id, d.user)
	}
	if d.entrypoint != `["authdoctor"]` {
		t.Errorf("%s: ENTRYPOINT %s, want [\"authdoctor\"]", id, d.entrypoint)
	}
	// The binary GoReleaser puts in the context ($TARGETPLATFORM/<binary>)
	// lands in a directory on the distroless PATH under the name the
	// entrypoint runs.
	var copied bool
	for _, c := range d.copies {
		if c[0] == "${TARGETPLATFORM}/"+binary || c[0] == "$TARGETPLATFORM/"+binary {
			copied = true
			dir, name := path.Split(c[1])
			if name == "" {
				name = binary
			}
			if name != "authdoctor" || !slices.Contains([]string{"/usr/local/bin/", "/usr/bin/", "/bin/"}, dir) {
				t.Errorf("%s: COPY to %s: the entrypoint runs authdoctor from PATH", id, c[1])
			}
		}
	}
	if !copied {
		t.Errorf("%s: no COPY of $TARGETPLATFORM/%s (the build's binary) in %s", id, binary, file)
	}
}

// The release archives ship the man pages (go run ./cmd/gendocs) under
// man/man1, and the glob matches the committed pages.
func TestReleaseArchivesShipManPages(t *testing.T) {
	cfg := readReleaseConfig(t)
	if len(cfg.Archives) == 0 {
		t.Fatal("no archives")
	}
	for i, a := range cfg.Archives {
		var src string
		for _, f := range a.Files {
			if m, ok := f.(map[string]any); ok && m["dst"] == "man/man1" {
				src, _ = m["src"].(string)
			}
		}
		if src == "" {
			t.Errorf("archive %d does not put man pages in man/man1", i)
			continue
		}
		pages, err := filepath.Glob(filepath.Join("..", "..", src))
		if err != nil || len(pages) < 10 {
			t.Errorf("archive %d: %s matches %d pages (%v)", i, src, len(pages), err)
		}
		for _, p := range pages {
			if !strings.HasSuffix(p, ".1") {
				t.Errorf("%s is not a section 1 page", p)
			}
		}
	}
}
