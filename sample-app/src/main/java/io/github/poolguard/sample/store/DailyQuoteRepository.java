package io.github.poolguard.sample.store;

import java.time.LocalDate;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface DailyQuoteRepository extends JpaRepository<DailyQuote, DailyQuote.Key> {

	List<DailyQuote> findByTickerAndTradeDateBetweenOrderByTradeDate(String ticker, LocalDate from, LocalDate to);

}
