// Chinese queries: Sphinx segments the index with jieba but splits a query only at spaces and
// punctuation, so "梯度下降" finds nothing. Cut each run of Han characters into the longest
// words the index knows (forward maximum matching); unknown single characters are dropped.
var splitQuery = (query) => {
  const parts = query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(t => t);
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const known = (w) => (index.terms && w in index.terms) || (index.titleterms && w in index.titleterms);
  const out = [];
  for (const part of parts) {
    if (!/\p{Script=Han}/u.test(part) || known(part)) { out.push(part); continue; }
    for (let i = 0; i < part.length;) {
      let j = part.length;
      while (j > i + 1 && !known(part.slice(i, j))) j--;
      if (j > i + 1 || known(part.slice(i, j))) out.push(part.slice(i, j));
      i = j;
    }
  }
  return out;
};
