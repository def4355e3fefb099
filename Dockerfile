# ciri in a container: `docker build -t ciri .` then, in a repository,
# `docker run --rm -v "$PWD:/repo" ciri validate .` (add -e OPENAI_API_KEY ... -m SPEC for an LLM).
# Stage 1 builds ciri and its Debian package; stage 2 installs that package, so the image's
# runtime libraries are exactly the package's dependencies.
FROM debian:12 AS build
COPY .ci/install-deps /tmp/install-deps
RUN sh /tmp/install-deps && apt-get install -y -qq --no-install-recommends dpkg-dev file \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCIRI_BUILD_TESTS=OFF \
    && cmake --build /build -j"$(nproc)" --target ciri \
    && cd /build && cpack -G DEB && mv /build/ciri_*.deb /ciri.deb

FROM debian:12-slim
COPY --from=build /ciri.deb /tmp/ciri.deb
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/ciri.deb ca-certificates \
    && rm -rf /var/lib/apt/lists/* /tmp/ciri.deb \
    && useradd --create-home --uid 10001 ciri
USER ciri
# Mount the repository to check here; .ciri.yaml in it is read as untrusted input.
WORKDIR /repo
ENTRYPOINT ["ciri"]
CMD ["--help"]
