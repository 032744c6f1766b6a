package io.cartola.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.joda.JodaModule;

/**
 * {@link NoJodaModule}: what Quarkus' Lambda runtime does to a copy of the application's mapper becomes a no-op (the
 * real Lambda mapper is checked in LambdaMapperTest).
 */
class NoJodaModuleTest {

    @Test
    void theLambdaRuntimesJodaModuleIsSkipped() throws Exception {
        ObjectMapper application = new ObjectMapper();
        new NoJodaModule().customize(application);

        ObjectMapper lambda = application.copy().registerModule(new JodaModule()); // AmazonLambdaMapperRecorder

        assertFalse(lambda.getSerializerProviderInstance().findValueSerializer(org.joda.time.Duration.class)
                .getClass().getName().startsWith("com.fasterxml.jackson.datatype.joda"));
        assertEquals(application.getRegisteredModuleIds(), lambda.getRegisteredModuleIds());
    }

    @Test
    void theModulesTypeIdIsJodaModules() {
        assertEquals(new JodaModule().getTypeId(), NoJodaModule.JODA_MODULE_TYPE_ID);
    }

    @Test
    void aMapperWithoutItWouldHaveTheJodaSerializers() throws Exception {
        ObjectMapper lambda = new ObjectMapper().registerModule(new JodaModule());
        assertEquals("5", lambda.writeValueAsString(new org.joda.time.Duration(5)));
    }
}
