package org.viofs.conformance;

final class SecuritySections {
    static String show(byte[] b) {
        SecurityDescriptor sd = SecurityDescriptor.parse(b);
        return "O:" + sd.owner() + " G:" + sd.group() + " " + SecurityCases.sddlOf(sd);
    }
}
