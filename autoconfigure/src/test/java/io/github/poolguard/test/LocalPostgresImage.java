package io.github.poolguard.test;

import com.github.dockerjava.api.exception.NotFoundException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;

/**
 * Runs the official {@code postgres} image's containers on a locally built PostgreSQL image
 * where no image registry is reachable, so tests keep naming {@code postgres:17-alpine} as users
 * do. The image is the one named by the system property or environment variable
 * {@value #PROPERTY} / {@value #VARIABLE}, else {@value #LOCAL_IMAGE} when Docker has it
 * ({@code docker/postgres/build-images.sh} builds it), else the requested image itself.
 * Registered in {@code testcontainers.properties}.
 */
public final class LocalPostgresImage extends ImageNameSubstitutor {

	/**
	 * The system property naming the PostgreSQL image to use.
	 */
	public static final String PROPERTY = "poolguard.test.postgres-image";

	/**
	 * The environment variable naming the PostgreSQL image to use.
	 */
	public static final String VARIABLE = "POOLGUARD_TEST_POSTGRES_IMAGE";

	/**
	 * The image {@code docker/postgres/build-images.sh} builds.
	 */
	public static final String LOCAL_IMAGE = "poolguard-ci/postgres";

	private static final DockerImageName POSTGRES = DockerImageName.parse("postgres");

	@Override
	public DockerImageName apply(DockerImageName original) {
		if (!original.getUnversionedPart().equals(POSTGRES.getUnversionedPart())) {
			return original;
		}
		String configured = System.getProperty(PROPERTY, System.getenv(VARIABLE));
		if (configured != null && !configured.isBlank()) {
			return DockerImageName.parse(configured).asCompatibleSubstituteFor(POSTGRES);
		}
		return localImagePresent() ? DockerImageName.parse(LOCAL_IMAGE).asCompatibleSubstituteFor(POSTGRES)
				: original;
	}

	private static boolean localImagePresent() {
		try {
			DockerClientFactory.instance().client().inspectImageCmd(LOCAL_IMAGE).exec();
			return true;
		}
		catch (NotFoundException ex) {
			return false;
		}
	}

	@Override
	protected String getDescription() {
		return "PoolGuard's local PostgreSQL image (" + PROPERTY + ", " + VARIABLE + " or " + LOCAL_IMAGE + ")";
	}

}
