package io.cartola.function;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.cartola.testing.FetchProfile;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link io.cartola.nativeimage.NoJodaModule} in the running application: the mapper Funqy reads fetch's input and writes its answer with
 * has no Joda-Time serializers. In process only (a native executable is another process; there, Joda-Time's absence
 * from the call tree is the proof); the same profile as FetchFunctionTest, so no second start.
 */
@QuarkusTest
@TestProfile(FetchProfile.class)
class LambdaMapperTest {

    @Test
    void theLambdaMapperHasNoJodaModule() throws Exception {
        assertFalse(AmazonLambdaMapperRecorder.objectMapper.getSerializerProviderInstance()
                .findValueSerializer(org.joda.time.Duration.class).getClass().getName()
                .startsWith("com.fasterxml.jackson.datatype.joda"));
    }
}
