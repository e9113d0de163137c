# The release image, built by GoReleaser (dockers_v2 in .goreleaser.yaml)
# from the binaries it has already built: static (CGO_ENABLED=0), so the
# base needs no libc. The build context holds <os>/<arch>/authdoctor for
# each platform, hence $TARGETPLATFORM.
#
# distroless static: CA certificates (for the IdP's TLS), tzdata and an
# /etc/passwd with the nonroot user; no shell, no package manager. The
# -debug tags build from its :debug-nonroot variant (BASE), which adds
# busybox's sh for CI runners that run job scripts in the image.
ARG BASE=gcr.io/distroless/static-debian12:nonroot
FROM ${BASE}
ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/authdoctor /usr/local/bin/authdoctor
# nonroot (65532) of distroless: authdoctor needs no privilege, and a pod
# security policy that requires runAsNonRoot accepts a numeric user.
USER 65532:65532
ENTRYPOINT ["authdoctor"]
