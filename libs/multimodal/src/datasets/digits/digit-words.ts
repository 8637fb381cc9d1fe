/** The English word of each digit, by digit: `DIGIT_WORDS[7] === 'seven'`. */
export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
