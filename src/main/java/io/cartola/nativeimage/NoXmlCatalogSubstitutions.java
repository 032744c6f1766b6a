package io.cartola.nativeimage;

import javax.xml.catalog.CatalogException;
import javax.xml.parsers.SAXParser;
import javax.xml.transform.sax.SAXSource;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Native executable only, for its size: no XML catalogs (javax.xml.catalog) in the JDK's XML parser. The only XML
 * cartola parses is the S3 client's responses, through StAX with DTDs and external entities off (the SDK's
 * XmlDomParser), so no entity is ever resolved and no catalog (configured by javax.xml.catalog.files, which cartola
 * never sets) is ever read. Yet the StAX parser's entity manager can reach catalog loading, which parses the catalog
 * file with a SAX parser, which brings the rest of Xerces: the SAX parser, XML Schema validation, XInclude, XPointer
 * and the schema regular expressions (measured effect: package-info). These two JDK methods are the only places that create a SAX parser; without them all of that drops
 * out. A catalog configured in the native executable fails with the message below. JVM mode is unchanged.
 */
@TargetClass(className = "javax.xml.catalog.CatalogImpl")
final class NoXmlCatalogSubstitutions {

    @Substitute
    private SAXParser getParser() {
        throw new CatalogException(
                "XML catalogs are not built into cartola's native executable (NoXmlCatalogSubstitutions)");
    }
}

/** See {@link NoXmlCatalogSubstitutions}: the catalog resolver's own SAX parser, for a Source without a reader. */
@TargetClass(className = "javax.xml.catalog.CatalogResolverImpl")
final class NoXmlCatalogResolverSubstitutions {

    @Substitute
    private void setEntityResolver(SAXSource source) {
        throw new CatalogException(
                "XML catalogs are not built into cartola's native executable (NoXmlCatalogSubstitutions)");
    }
}
