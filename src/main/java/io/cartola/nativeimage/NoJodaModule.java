package io.cartola.nativeimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * For size: keeps Jackson's Joda-Time module, and with it joda-time, out of the native executable.
 * Quarkus' Lambda runtime copies this application's ObjectMapper at build time and registers {@code JodaModule} on the
 * copy (AmazonLambdaMapperRecorder, the mapper Funqy reads and writes function input and output with). Its serializers
 * and their Joda formatters then sit in the image heap, which makes joda-time's code reachable (measured
 * effect: package-info). Jackson skips a module whose type id is already registered
 * (IGNORE_DUPLICATE_MODULE_REGISTRATIONS, on by default) and {@code ObjectMapper.copy()} keeps the registered ids, so
 * this empty module, registered under JodaModule's type id, makes that registration a no-op. Safe: no input, output or
 * stored document of cartola has a Joda-Time type (java.time throughout), and the Lambda event types cartola binds
 * (APIGatewayV2HTTPEvent/Response, see {@link NativeReflection}) have none either. Same in JVM mode and native, so the
 * JVM tests cover it.
 */
@Singleton
public class NoJodaModule implements ObjectMapperCustomizer {

    /**
     * {@code JodaModule}'s Jackson type id: its name, the artifact id of its version (NoJodaModuleTest checks it). A
     * constant because creating a JodaModule here to ask would make its serializers reachable again.
     */
    static final String JODA_MODULE_TYPE_ID = "jackson-datatype-joda";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule(JODA_MODULE_TYPE_ID));
    }
}
