package org.jetsketch.processor.codegen;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** The runtime types generated code names become JavaPoet type references where they are written, not by scanning lines. */
class CodeTypesTest {
    private static String printed(String line) { return new Code().line(line).block().toString(); }

    @Test
    void aTemplatesTypesArePrintedAsTypes() {
        String line = new Bindings().fill("x = RealMath.log(y) + Jets.UNREAD.length;");
        assertThat(line).doesNotContain("RealMath");
        // CodeBlock.toString prints a type reference qualified (a file imports it)
        assertThat(printed(line)).isEqualTo("x = org.jetsketch.jet.RealMath.log(y) + org.jetsketch.jet.Jets.UNREAD.length;\n");
        assertThat(printed("if (" + Code.type(Names.JET_WORKSPACE) + ".LT > 0) f();"))
                .isEqualTo("if (org.jetsketch.circuit.JetWorkspace.LT > 0) f();\n");
    }

    @Test
    void theSameWordsWrittenAsTextStayText() {
        // a user's variable named Jets, or a name containing a type's name, is not a type reference
        assertThat(printed("double Jets = myRealMath.x + SCRATCH_JETS;")).isEqualTo("double Jets = myRealMath.x + SCRATCH_JETS;\n");
        assertThat(Code.typesMarked("{j}.addScaled({gy}, 1.0, {ga});")).isEqualTo("{j}.addScaled({gy}, 1.0, {ga});");
    }
}
