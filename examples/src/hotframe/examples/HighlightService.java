package hotframe.examples;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Highlights search terms in text, the way a search results page does. Two implementations of the same thing:
 * the naive one calls String.replaceAll once per term and per call, which compiles a regular expression every
 * time; the cached one compiles a single alternation once and reuses it. The profile of the naive one is
 * dominated by Pattern.compile, which is what the demo and the tests look for.
 */
public final class HighlightService {
    private final List<String> terms;
    private final Pattern allTerms;

    public HighlightService(List<String> terms) {
        this.terms = List.copyOf(terms);
        StringBuilder alternation = new StringBuilder("(?:");
        for (int i = 0; i < terms.size(); i++) {
            if (i > 0) alternation.append('|');
            alternation.append(Pattern.quote(terms.get(i)));
        }
        this.allTerms = Pattern.compile(alternation.append(")").toString());
    }

    public String highlightNaive(String text) {
        String result = text;
        for (String term : terms) {
            result = result.replaceAll(Pattern.quote(term), "<em>$0</em>");
        }
        return result;
    }

    public String highlightCached(String text) {
        Matcher matcher = allTerms.matcher(text);
        return matcher.replaceAll("<em>$0</em>");
    }
}
