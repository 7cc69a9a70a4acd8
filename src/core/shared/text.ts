const combiningMarks = /[\u0300-\u036f]/g;
// Letters with no Unicode decomposition, which NFKD would leave alone.
const foldMap: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower case with diacritics removed: "Sjögren", "Straße" and "Ærø" become "sjogren", "strasse", "aero". */
export const foldLetters = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(combiningMarks, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => foldMap[letter] ?? letter);

/** A count with its noun in the right number, the count written the British way: "1 record", "1,200 records". */
export const counted = (count: number, singular: string, plural = `${singular}s`): string => `${count.toLocaleString('en-GB')} ${count === 1 ? singular : plural}`;
