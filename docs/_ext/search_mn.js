/*
 * The Mongolian stemmer of the search page's queries: search_mn.py's `stem`, step by step,
 * with its rules (MongolianRules, written before this script from search_mn.RULES), so a
 * query is reduced as the index's words were. Latin words go to Sphinx's English stemmer.
 */
var Stemmer = function () {
  const rules = MongolianRules;
  const english = new EnglishStemmer();
  const isVowel = (c) => c !== "" && rules.vowels.includes(c);
  const isShort = (c) => c !== "" && rules.shortVowels.includes(c);
  const isConsonant = (c) => c !== "" && !isVowel(c) && !"йьъ".includes(c);
  const keeps = (rest) =>
    [...rest].length >= rules.minStem && [...rest].some(isVowel);

  const normalise = (word) =>
    [...word.normalize("NFC").toLowerCase()]
      .map((c) => rules.fold[c] || c)
      .join("");

  const fits = (rest, suffix) => {
    const rule = rules.before[suffix];
    const last = rest.charAt(rest.length - 1);
    const previous = rest.charAt(rest.length - 2);
    if (!rule || (last !== "" && rule.letters.includes(last))) return keeps(rest);
    const long = isVowel(previous) && (last === previous || last === "й");
    return rule.long && long && keeps(rest);
  };

  const stripEndings = (word) => {
    for (let pass = 0; pass < rules.passes; pass++) {
      const suffix = rules.suffixes.find(
        (s) => word.endsWith(s) && fits(word.slice(0, -s.length), s),
      );
      if (!suffix) break;
      word = word.slice(0, -suffix.length);
    }
    return word;
  };

  const normalForm = (stem) => {
    if (/[ьъ]$/u.test(stem) && keeps(stem.slice(0, -1))) stem = stem.slice(0, -1);
    // the i-th letter from the end, or "" (as search_mn.py's `at`)
    const at = (i) => stem.charAt(stem.length - i);
    if (isShort(at(1)) && isConsonant(at(2)) && keeps(stem.slice(0, -1)))
      stem = stem.slice(0, -1);
    if (
      isConsonant(at(3)) &&
      isShort(at(2)) &&
      isConsonant(at(1)) &&
      [...stem.slice(0, -3)].some(isVowel)
    )
      stem = stem.slice(0, -2) + stem.slice(-1);
    return stem;
  };

  this.stemWord = (word) => {
    word = normalise(word);
    if (!/[\u0400-\u04ff]/u.test(word)) return english.stemWord(word);
    return normalForm(stripEndings(word));
  };
};
