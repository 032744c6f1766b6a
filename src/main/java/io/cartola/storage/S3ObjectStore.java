package io.cartola.storage;

import java.util.Optional;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in one S3 bucket, written with conditional requests: {@code If-None-Match: *} to create,
 * {@code If-Match: <etag>} to replace. A single PUT is atomic in S3, so nothing is half-written.
 */
public class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public boolean create(String key, byte[] bytes, String contentType) {
        return put(PutObjectRequest.builder().ifNoneMatch("*"), key, bytes, contentType);
    }

    @Override
    public boolean replace(String key, byte[] bytes, String contentType, String expectedVersion) {
        PutObjectRequest.Builder request = PutObjectRequest.builder();
        if (expectedVersion == null) {
            request.ifNoneMatch("*");
        } else {
            request.ifMatch(expectedVersion);
        }
        return put(request, key, bytes, contentType);
    }

    private boolean put(PutObjectRequest.Builder request, String key, byte[] bytes, String contentType) {
        try {
            s3.putObject(request.bucket(bucket).key(key).contentType(contentType).build(), RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            // 412: the condition failed; 409: a concurrent conditional write won
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw new StorageException("S3 refused to write " + key + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new StorageException("S3 unreachable writing " + key, e);
        }
    }

    @Override
    public Optional<java.io.InputStream> open(String key) {
        return get(key, () -> s3.getObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public Optional<Stored> read(String key) {
        return get(key, () -> {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return new Stored(object.asByteArray(), object.response().eTag());
        });
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (S3Exception e) {
            throw new StorageException("S3 refused to delete " + key + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new StorageException("S3 unreachable deleting " + key, e);
        }
    }

    @Override
    public java.util.List<Listed> list(String prefix) {
        return listing(prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> new Listed(o.key(), o.lastModified())).toList());
    }

    @Override
    public java.util.List<String> folders(String prefix) {
        return listing(prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).commonPrefixes()
                .stream().map(p -> p.prefix().substring(prefix.length(), p.prefix().length() - 1)).toList());
    }

    private static <T> T listing(String prefix, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (S3Exception e) {
            throw new StorageException("S3 refused to list " + prefix + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new StorageException("S3 unreachable listing " + prefix, e);
        }
    }

    /** A GET: empty when the key does not exist, a StorageException when S3 refuses or cannot be reached. */
    private static <T> Optional<T> get(String key, java.util.function.Supplier<T> request) {
        try {
            return Optional.of(request.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("S3 refused to read " + key + " (HTTP " + e.statusCode() + ")", e);
        } catch (SdkException e) {
            throw new StorageException("S3 unreachable reading " + key, e);
        }
    }
}
