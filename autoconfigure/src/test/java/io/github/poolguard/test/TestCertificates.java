package io.github.poolguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A throw-away certificate authority with a server certificate for {@code localhost} and a
 * client certificate for one role, made with {@code openssl}. The client key is written in
 * PKCS-8 DER form, the form pgjdbc's {@code sslkey} reads.
 *
 * @param directory where the files are
 * @param caCertificate the authority's certificate ({@code sslrootcert}, {@code ssl_ca_file})
 * @param serverCertificate the server's certificate ({@code ssl_cert_file})
 * @param serverKey the server's key ({@code ssl_key_file})
 * @param clientCertificate the client's certificate ({@code sslcert})
 * @param clientKey the client's key ({@code sslkey})
 */
public record TestCertificates(Path directory, Path caCertificate, Path serverCertificate, Path serverKey,
		Path clientCertificate, Path clientKey) {

	/**
	 * Generate the certificates.
	 * @param role the role the client certificate logs in as (its common name)
	 * @return the certificates
	 */
	public static TestCertificates generate(String role) {
		try {
			Path dir = Files.createTempDirectory("poolguard-certs");
			Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
			openssl(dir, "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=poolguard-test-ca", "-keyout",
					"ca.key", "-out", "ca.crt");
			openssl(dir, "req", "-new", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out",
					"server.csr");
			openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
					"-days", "2", "-extfile", "server.ext", "-out", "server.crt");
			openssl(dir, "req", "-new", "-nodes", "-subj", "/CN=" + role, "-keyout", "client.key", "-out",
					"client.csr");
			openssl(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
					"-days", "2", "-out", "client.crt");
			openssl(dir, "pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-nocrypt", "-in", "client.key",
					"-out", "client.pk8");
			return new TestCertificates(dir, dir.resolve("ca.crt"), dir.resolve("server.crt"),
					dir.resolve("server.key"), dir.resolve("client.crt"), dir.resolve("client.pk8"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return the pgjdbc properties that log in with the client certificate and check the
	 * server's against the authority, host name included.
	 * @return {@code sslmode}, {@code sslcert}, {@code sslkey} and {@code sslrootcert}
	 */
	public Properties clientProperties() {
		Properties properties = new Properties();
		properties.setProperty("sslmode", "verify-full");
		properties.setProperty("sslcert", this.clientCertificate.toString());
		properties.setProperty("sslkey", this.clientKey.toString());
		properties.setProperty("sslrootcert", this.caCertificate.toString());
		return properties;
	}

	private static void openssl(Path dir, String... arguments) throws IOException {
		List<String> command = new java.util.ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (process.waitFor() != 0) {
				throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
