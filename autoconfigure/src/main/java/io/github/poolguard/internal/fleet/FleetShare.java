package io.github.poolguard.internal.fleet;

/**
 * One instance's share of the server's connections.
 *
 * @param instances the instances the share was worked out for
 * @param position this instance's place among them (0 = the longest running)
 * @param available the connections the fleet may use: usable less other clients' sessions
 * @param app the app pool's maximum size for this instance; 0 when it gets no floor
 * @param background the background pool's maximum size; 0 when it gets no floor
 * @param arithmetic how the share was worked out, in one line
 */
public record FleetShare(int instances, int position, int available, int app, int background, String arithmetic) {

	/**
	 * Return whether this instance got at least its floor and may serve.
	 * @return {@code true} when admitted
	 */
	public boolean admitted() {
		return this.app > 0;
	}

	/**
	 * Return this share with other pool sizes, saying why.
	 * @param app the app pool's maximum size
	 * @param background the background pool's maximum size
	 * @param because what changed the sizes, appended to the arithmetic
	 * @return the new share
	 */
	FleetShare withPools(int app, int background, String because) {
		return new FleetShare(this.instances, this.position, this.available, app, background,
				this.arithmetic + "; " + because);
	}

}
