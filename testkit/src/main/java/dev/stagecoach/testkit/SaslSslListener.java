package dev.stagecoach.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a test broker needs to require SASL_SSL with SCRAM-SHA-512 of every client: a
 * self-signed certificate for {@value KafkaNodes#HOST} (made with the JDK's own keytool, so
 * nothing beyond a JDK is needed), a truststore holding it, and one SCRAM user, whose
 * credentials are written when the storage is formatted.
 */
public final class SaslSslListener {

    static final String LISTENER = "SASL_SSL";
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String USER = "stagecoach";
    /** Where, next to the certificate, a client of another process finds {@link #clientProperties()}. */
    public static final String CLIENT_PROPERTIES = "client.properties";
    private static final String STORE_TYPE = "PKCS12";

    private final Path keystore;
    private final Path truststore;
    private final String storePassword;
    private final String userPassword;

    private SaslSslListener(Path keystore, Path truststore, String storePassword, String userPassword) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.storePassword = storePassword;
        this.userPassword = userPassword;
    }

    /** Makes a new certificate and passwords in {@code dir}, or reads the ones made there before (a kept data dir). */
    static SaslSslListener in(Path dir) {
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("truststore.p12");
        Path secrets = dir.resolve("passwords");
        try {
            if (Files.exists(secrets) && Files.exists(truststore)) {
                List<String> lines = Files.readAllLines(secrets, StandardCharsets.UTF_8);
                return new SaslSslListener(keystore, truststore, lines.get(0), lines.get(1));
            }
            Files.createDirectories(dir);
            SaslSslListener listener = new SaslSslListener(keystore, truststore, randomPassword(), randomPassword());
            listener.makeStores(dir);
            Files.write(secrets, List.of(listener.storePassword, listener.userPassword), StandardCharsets.UTF_8);
            listener.writeClientProperties(dir.resolve(CLIENT_PROPERTIES));
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the SASL_SSL test certificate in " + dir, e);
        }
    }

    private void makeStores(Path dir) throws IOException {
        Path certificate = dir.resolve("broker.pem");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=" + KafkaNodes.HOST, "-ext", "SAN=IP:" + KafkaNodes.HOST + ",DNS:localhost",
                "-keystore", keystore.toString(), "-storetype", STORE_TYPE, "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", keystore.toString(), "-storetype", STORE_TYPE, "-storepass", storePassword);
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", STORE_TYPE, "-storepass", storePassword);
    }

    /** The broker's settings for a listener named {@value #LISTENER}, which clients and the broker itself use. */
    Map<String, String> brokerProperties() {
        String prefix = "listener.name." + LISTENER.toLowerCase() + "." + MECHANISM.toLowerCase() + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("inter.broker.listener.name", LISTENER);
        properties.put("sasl.enabled.mechanisms", MECHANISM);
        properties.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        properties.put(prefix + "sasl.jaas.config", jaasConfig());
        properties.put("ssl.keystore.location", keystore.toString());
        properties.put("ssl.keystore.password", storePassword);
        properties.put("ssl.key.password", storePassword);
        properties.put("ssl.keystore.type", STORE_TYPE);
        properties.put("ssl.truststore.location", truststore.toString());
        properties.put("ssl.truststore.password", storePassword);
        properties.put("ssl.truststore.type", STORE_TYPE);
        return properties;
    }

    /** The user's SCRAM credentials, in the form of {@code kafka-storage format --add-scram}. */
    List<String> scramArguments() {
        return List.of(MECHANISM + "=[name=" + USER + ",password=" + userPassword + "]");
    }

    /** What a client sets to reach the listener: protocol, mechanism, the user's JAAS config and the truststore. */
    public Map<String, String> clientProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", LISTENER);
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaasConfig());
        properties.put("ssl.truststore.location", truststore.toString());
        properties.put("ssl.truststore.password", storePassword);
        properties.put("ssl.truststore.type", STORE_TYPE);
        return properties;
    }

    private void writeClientProperties(Path file) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(clientProperties());
        try (java.io.Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "a client of the SASL_SSL test broker; bootstrap.servers is in the broker's port file");
        }
    }

    private String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                + "\" password=\"" + userPassword + "\";";
    }

    private static String randomPassword() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s: " + String.join(" ", args));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed with exit code " + process.exitValue() + ": " + output);
        }
    }
}
