package io.mlws.scorer.harness;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test JVM's own certificate authority, made by the JDK's keytool, and a certificate for
 * 127.0.0.1 it issued: the server's key store (key, certificate and CA chain, also usable as a
 * .pfx), and a trust store holding only the CA for the JVM that calls it. They are made once per
 * JVM (keytool is a JVM of its own, eight runs a second of CPU each) and copied into each test's
 * folder, where {@link #trust} may add to its copy of the trust store.
 */
public record TestTls(Path keyStore, Path trustStore) {
  public static final String PASSWORD = "test-only";

  private static final List<String> FILES =
      List.of("ca.p12", "ca.crt", "server.p12", "server.crt", "trust.p12");

  /** Where this JVM's authority and key were made, once. */
  private static Path made;

  /** This JVM's authority and server key, copied into {@code dir}. */
  public static synchronized TestTls create(Path dir) throws Exception {
    if (made == null) {
      Path folder = Files.createTempDirectory("mlws-test-tls");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    for (String file : FILES) {
                      folder.resolve(file).toFile().delete();
                    }
                    folder.resolve("server.csr").toFile().delete();
                    folder.toFile().delete();
                  }));
      make(folder);
      made = folder;
    }
    for (String file : FILES) {
      Files.copy(made.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    return new TestTls(dir.resolve("server.p12"), dir.resolve("trust.p12"));
  }

  private static void make(Path dir) throws Exception {
    Path caStore = dir.resolve("ca.p12");
    Path caCertificate = dir.resolve("ca.crt");
    Path keyStore = dir.resolve("server.p12");
    Path request = dir.resolve("server.csr");
    Path certificate = dir.resolve("server.crt");
    Path trustStore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=mlws test CA",
        "-ext",
        "BC:critical=ca:true",
        "-ext",
        "KU:critical=keyCertSign",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        caStore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        caCertificate.toString());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD);
    keytool(
        "-certreq",
        "-alias",
        "server",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        request.toString());
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        caStore.toString(),
        "-storepass",
        PASSWORD,
        "-infile",
        request.toString(),
        "-outfile",
        certificate.toString(),
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-ext",
        "EKU=serverAuth",
        "-validity",
        "2");
    importCertificate("ca", caCertificate, keyStore);
    importCertificate("server", certificate, keyStore);
    importCertificate("ca", caCertificate, trustStore);
  }

  /** Adds a certificate (PEM or DER) to what the trust store's holders trust. */
  public TestTls trust(String alias, Path certificate) throws Exception {
    KeyStore trusted = load(trustStore);
    try (InputStream in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry(
          alias, CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trusted.store(out, PASSWORD.toCharArray());
    }
    return this;
  }

  /** The trust store, for a client in this JVM. */
  public SSLContext clientContext() throws Exception {
    KeyStore trusted = load(trustStore);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** The server side: the key and its certificate. */
  public SSLContext serverContext() throws Exception {
    KeyStore keys = load(keyStore);
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context;
  }

  /** The CA's certificate (PEM), for a client outside the JVM: curl's CURL_CA_BUNDLE, say. */
  public Path caCertificate() {
    return keyStore.resolveSibling("ca.crt");
  }

  /**
   * JVM options that make a process trust this CA (and what {@link #trust} added, nothing else).
   */
  public List<String> trustingJvmOptions() {
    return List.of(
        "-Djavax.net.ssl.trustStore=" + trustStore,
        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
        "-Djavax.net.ssl.trustStoreType=PKCS12");
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return keys;
  }

  private static void importCertificate(String alias, Path certificate, Path store)
      throws Exception {
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
