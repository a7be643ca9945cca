package io.github.poolguard.sample.universe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tickers the sample knows: well-known B3 tickers first, then generated ones up to the
 * configured size. The simulators know exactly these; any other ticker is unknown to them.
 */
public class TickerUniverse {

	/**
	 * The shape of a B3 ticker: a letter, three letters or digits, then one or two digits (PETR4, B3SA3, TAEE11).
	 */
	public static final Pattern TICKER = Pattern.compile("[A-Z][A-Z0-9]{3}[0-9]{1,2}");

	private static final String[][] WELL_KNOWN = { { "PETR4", "Petrobras PN", "Energy" },
			{ "PETR3", "Petrobras ON", "Energy" }, { "VALE3", "Vale ON", "Materials" },
			{ "ITUB4", "Itaú Unibanco PN", "Financials" }, { "BBDC4", "Bradesco PN", "Financials" },
			{ "ABEV3", "Ambev ON", "Consumer Staples" }, { "BBAS3", "Banco do Brasil ON", "Financials" },
			{ "B3SA3", "B3 ON", "Financials" }, { "WEGE3", "WEG ON", "Industrials" },
			{ "RENT3", "Localiza ON", "Industrials" }, { "SUZB3", "Suzano ON", "Materials" },
			{ "ITSA4", "Itaúsa PN", "Financials" }, { "ELET3", "Eletrobras ON", "Utilities" },
			{ "RADL3", "Raia Drogasil ON", "Consumer Staples" }, { "EQTL3", "Equatorial ON", "Utilities" },
			{ "LREN3", "Lojas Renner ON", "Consumer Discretionary" }, { "GGBR4", "Gerdau PN", "Materials" },
			{ "JBSS3", "JBS ON", "Consumer Staples" }, { "PRIO3", "PRIO ON", "Energy" },
			{ "RDOR3", "Rede D'Or ON", "Health Care" }, { "BPAC11", "BTG Pactual UNT", "Financials" },
			{ "HAPV3", "Hapvida ON", "Health Care" }, { "VBBR3", "Vibra ON", "Energy" },
			{ "CSAN3", "Cosan ON", "Energy" }, { "TAEE11", "Taesa UNT", "Utilities" },
			{ "EMBR3", "Embraer ON", "Industrials" }, { "KLBN11", "Klabin UNT", "Materials" },
			{ "SBSP3", "Sabesp ON", "Utilities" }, { "UGPA3", "Ultrapar ON", "Energy" },
			{ "CMIG4", "Cemig PN", "Utilities" }, { "TIMS3", "TIM ON", "Communication Services" },
			{ "VIVT3", "Telefônica Brasil ON", "Communication Services" }, { "CPLE6", "Copel PNB", "Utilities" },
			{ "BRFS3", "BRF ON", "Consumer Staples" }, { "CCRO3", "CCR ON", "Industrials" },
			{ "MGLU3", "Magazine Luiza ON", "Consumer Discretionary" }, { "TOTS3", "Totvs ON", "Technology" },
			{ "CSNA3", "CSN ON", "Materials" }, { "USIM5", "Usiminas PNA", "Materials" },
			{ "SANB11", "Santander Brasil UNT", "Financials" } };

	private static final String[] SECTORS = { "Energy", "Materials", "Financials", "Utilities", "Industrials",
			"Consumer Staples", "Consumer Discretionary", "Health Care", "Technology", "Real Estate" };

	private final Map<String, String[]> companies;

	private final int configuredSize;

	/**
	 * Create a universe of the given size.
	 * @param size how many tickers; 0 for none
	 */
	/**
	 * Return a ticker as stored (upper case), or fail with what a B3 ticker looks like.
	 * @param ticker the ticker as typed
	 * @return the ticker in upper case
	 * @throws IllegalArgumentException when it is not a B3 ticker
	 */
	public static String normalize(String ticker) {
		String upper = ticker.toUpperCase(java.util.Locale.ROOT);
		if (!TICKER.matcher(upper).matches()) {
			throw new IllegalArgumentException("'" + ticker + "' is not a B3 ticker (a four-character root and one or"
					+ " two digits, like PETR4, B3SA3 or TAEE11)");
		}
		return upper;
	}

	public TickerUniverse(int size) {
		this.configuredSize = size;
		Map<String, String[]> companies = new LinkedHashMap<>();
		for (int i = 0; i < WELL_KNOWN.length && companies.size() < size; i++) {
			companies.put(WELL_KNOWN[i][0], new String[] { WELL_KNOWN[i][1], WELL_KNOWN[i][2] });
		}
		for (int n = 0; companies.size() < size; n++) {
			String ticker = generated(n);
			if (!companies.containsKey(ticker)) {
				companies.put(ticker, new String[] { "Simulated " + ticker.substring(0, 4) + " SA", SECTORS[n % SECTORS.length] });
			}
		}
		this.companies = Collections.unmodifiableMap(companies);
	}

	/**
	 * Return the size the universe was configured with ({@code sample.universe.size}), which
	 * may be zero or negative for an empty universe.
	 * @return the configured size
	 */
	public int configuredSize() {
		return this.configuredSize;
	}

	/**
	 * Return every ticker, well-known ones first.
	 * @return the tickers
	 */
	public List<String> tickers() {
		return new ArrayList<>(this.companies.keySet());
	}

	/**
	 * Return whether the universe holds the ticker.
	 * @param ticker the ticker
	 * @return {@code true} if known
	 */
	public boolean contains(String ticker) {
		return this.companies.containsKey(ticker);
	}

	/**
	 * Return the company name of a known ticker.
	 * @param ticker the ticker
	 * @return the name
	 */
	public String name(String ticker) {
		return this.companies.get(ticker)[0];
	}

	/**
	 * Return the sector of a known ticker.
	 * @param ticker the ticker
	 * @return the sector
	 */
	public String sector(String ticker) {
		return this.companies.get(ticker)[1];
	}

	private static String generated(int n) {
		char[] letters = new char[4];
		int value = n * 7919 + 104729;
		for (int i = 3; i >= 0; i--) {
			letters[i] = (char) ('A' + value % 26);
			value /= 26;
		}
		return new String(letters) + ((n % 3 == 0) ? "4" : "3");
	}

}
