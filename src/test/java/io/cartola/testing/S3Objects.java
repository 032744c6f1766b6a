package io.cartola.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what was stored in S3 (moto), independently of the code under test. */
public final class S3Objects {

    private final S3Client s3;
    private final String bucket;

    public S3Objects() {
        this(MotoServer.get().endpoint());
    }

    public S3Objects(java.net.URI endpoint) {
        this(endpoint, MotoServer.BUCKET);
    }

    private S3Objects(java.net.URI endpoint, String bucket) {
        this.s3 = client(endpoint);
        this.bucket = bucket;
    }

    /** The bucket of the accounts' access tokens. */
    public static S3Objects credentials() {
        return new S3Objects(MotoServer.get().endpoint(), MotoServer.CREDENTIALS_BUCKET);
    }

    public static S3Client client() {
        return client(MotoServer.get().endpoint());
    }

    public static S3Client client(java.net.URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    public Optional<String> text(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public String only(String prefix) {
        List<String> keys = keys(prefix);
        if (keys.size() != 1) {
            throw new AssertionError("expected one object under " + prefix + ", found " + keys);
        }
        return text(keys.get(0)).orElseThrow();
    }

    /** The account's view of the day, if written. */
    public Optional<String> view(String account, Object day) {
        return text("view/btgpactual.cl/date=" + day + "/account=" + account + ".jsonl");
    }

    /** The keys of the account's views, any day. */
    public List<String> viewKeys(String account) {
        return keys("view/btgpactual.cl/").stream().filter(k -> k.endsWith("/account=" + account + ".jsonl")).toList();
    }

    /** The one view of the account, any day. */
    public String onlyView(String account) {
        List<String> keys = viewKeys(account);
        if (keys.size() != 1) {
            throw new AssertionError("expected one view of the account, found " + keys);
        }
        return text(keys.get(0)).orElseThrow();
    }

    /** The raw answer to a request, whatever time its name starts with. */
    public Optional<String> raw(String account, Object day, String requestId) {
        return keys("raw/btgpactual.cl/account=" + account + "/date=" + day + "/").stream()
                .filter(k -> k.endsWith("-" + requestId + ".json")).findFirst().flatMap(this::text);
    }

    /** Every object's text, to scan for what must never be stored. */
    public java.util.Map<String, String> all() {
        java.util.Map<String, String> all = new java.util.TreeMap<>();
        keys("").forEach(key -> text(key).ifPresent(text -> all.put(key, text)));
        return all;
    }
}
