package io.github.poolguard.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A class loader over the test's own class path minus the jars whose file name contains a given
 * part, with no parent but the platform's: code loaded through it really lacks those jars, as
 * an application without that dependency would.
 */
public final class ClassPathWithout {

	private ClassPathWithout() {
	}

	/**
	 * Return a class loader over the class path without the jars whose name contains the part.
	 * @param jarNamePart such as {@code "postgresql-"}
	 * @return the class loader; the caller closes it
	 */
	public static URLClassLoader loader(String jarNamePart) {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			for (URL url : expand(new File(entry))) {
				if (!new File(url.getPath()).getName().contains(jarNamePart)) {
					urls.add(url);
				}
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	// Surefire may start the JVM with a single jar whose manifest lists the real class path.
	private static List<URL> expand(File entry) {
		try {
			List<URL> urls = new ArrayList<>();
			if (entry.getName().startsWith("surefirebooter") && entry.getName().endsWith(".jar")) {
				try (JarFile jar = new JarFile(entry)) {
					Manifest manifest = jar.getManifest();
					String classPath = (manifest != null) ? manifest.getMainAttributes().getValue("Class-Path") : null;
					if (classPath != null) {
						for (String item : classPath.trim().split("\\s+")) {
							urls.add(URI.create(item).toURL());
						}
					}
				}
				return urls;
			}
			urls.add(entry.toURI().toURL());
			return urls;
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
