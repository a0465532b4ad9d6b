package org.viofs.conformance;

import org.viofs.cli.CommandPlugin;

/** Contributes {@code viofs conformance} to the command line (ServiceLoader, META-INF/services). */
public final class ConformancePlugin implements CommandPlugin {
    @Override
    public String name() {
        return "conformance";
    }

    @Override
    public Object newCommand() {
        return new ConformanceCommand();
    }
}
