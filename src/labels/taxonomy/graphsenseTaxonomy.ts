/**
 * The GraphSense concept taxonomy and confidence scale, committed as data.
 *
 * Sources (read 2026-11-21, transcribed id/prefLabel/broader; descriptions shortened to their first sentence):
 * - Concepts: `graphsense/graphsense-lib:src/graphsenselib/tagpack/db/concepts.yaml@0b91543d761f83b9e667738fac6686d3cffd1da6`
 *   ("Concepts Taxonomy" 0.1.0, Iknaio Standardisation Working Group, derived from the INTERPOL Darknet and
 *   Cryptocurrencies Working Group (DW-VA) entity and abuse taxonomies,
 *   `graphsense/graphsense-tagpack-tool:src/tagpack/db/{entities,abuses}.yaml@4abeab4942bd8616c51118b3eca3a40c366e398a`).
 *   TagPacks use these ids in `category`, `abuse` and `concepts`.
 * - Confidence: `graphsense/graphsense-tagpack-tool:src/tagpack/db/confidence.csv@fcddd3ad04a4a22f008f2ab492160e4b8674dec2`
 *   (id, label, level 0..100); TagPacks use the ids in `confidence`.
 * Licence of both: MIT (GraphSense).
 *
 * `kind` is ours, derived mechanically: `abuse` when the concept is `abuse` or has it as an ancestor, `entity` when
 * under `entity`, else `other` (behaviour, source, item, white/gray usage).
 */

/** One concept: `broader` is its parent id (null for the top concept). */
export interface TaxonomyConcept {
  readonly id: string;
  readonly label: string;
  readonly broader: string | null;
  readonly description: string;
}

/** One GraphSense confidence level: higher `level` (0..100) means a more reliable attribution. */
export interface ConfidenceLevel {
  readonly id: string;
  readonly label: string;
  readonly level: number;
  readonly description: string;
}

const c = (id: string, label: string, broader: string | null, description: string): TaxonomyConcept => ({
  id,
  label,
  broader,
  description,
});

/** All concepts, in the order of the source file. */
export const GRAPHSENSE_CONCEPTS: readonly TaxonomyConcept[] = [
  c('concept', 'Concept', null, 'Anything that describes an actor in the Darknet- or Cryptoasset Ecosystems.'),
  c('unknown', 'Unknown', 'concept', 'Special category representing a tag with unknown categorization.'),
  c('behaviour', 'Behaviour', 'concept', 'A way something functions or behaves or operates.'),
  c('source', 'Source', 'concept', 'Attributes about the source of the information.'),
  c('mention', 'Mention', 'source', 'Tag originates from a mention.'),
  c('website_mention', 'Website Mention', 'mention', 'Tag originating from a website mention.'),
  c('forum_mention', 'Forum Mention', 'website_mention', 'Tag originating from a forum mention.'),
  c('abuse', 'Abuse', 'behaviour', 'Some not further specified type of abuse.'),
  c('gray_usage', 'Gray usage patterns', 'behaviour', 'Usage patterns that can be of concern depending on the context.'),
  c('mixing', 'Mixing', 'gray_usage', 'An activity to conceal the source or destination of a payment flow.'),
  c('white_usage', 'White (benign) usage patterns', 'behaviour', 'Usage patterns that are typically not of concern.'),
  c('sexual_abuse', 'Sexual Abuse', 'abuse', 'Abusive sexual behavior.'),
  c('child_sexual_abuse', 'Child Sexual Abuse', 'sexual_abuse', 'Abusive sexual behavior towards minors.'),
  c('violence', 'Violence', 'abuse', 'Anything involving violent behaviour.'),
  c('human_trafficking', 'Human Trafficking', 'abuse', 'The trade of humans for forced labour or sexual exploitation.'),
  c('murder', 'Murder', 'violence', 'Unlawful killing of another human.'),
  c('torture', 'Torture', 'violence', 'Anything involving violent behaviour.'),
  c('scam', 'Scam', 'abuse', 'Scam denotes a fraudulent or deceptive act or operation.'),
  c('financial_crime', 'Financial Crime', 'abuse', 'Criminal activities that involve money or other financial resources.'),
  c('investment_fraud', 'Investment Fraud', 'financial_crime', 'The illegal sale or purported sale of financial instruments.'),
  c('ponzi_scheme', 'Ponzi Scheme', 'investment_fraud', 'Returns to earlier investors paid from the funds of later ones.'),
  c('pyramid_scheme', 'Pyramid Scheme', 'ponzi_scheme', 'A Ponzi scheme whose victims are induced to recruit further victims.'),
  c('money_laundering', 'Money Laundering', 'financial_crime', 'Concealing or disguising the origins of illegally obtained proceeds.'),
  c('extortion', 'Extortion', 'abuse', 'The act or practice of extorting especially money or other property.'),
  c('sextortion', 'Sextortion', 'extortion', 'Sexual exploitation in which abuse of power is the means of coercion.'),
  c('phishing', 'Phishing', 'abuse', 'The fraudulent attempt to obtain sensitive information by disguise.'),
  c('hacking', 'Hacking', 'abuse', 'Related to hacking activity.'),
  c('service_hack', 'Service Hack', 'hacking', 'The digital intrusion into a service with the goal to steal funds.'),
  c('account_hack', 'Account Hack', 'hacking', 'A hacked account either to exploit financially or via impersonation.'),
  c('exploit', 'Exploit', 'hacking', 'A method or piece of code that takes advantage of vulnerabilities in software.'),
  c('data_breach', 'Data Breach', 'hacking', 'The unauthorized exposure, disclosure, or loss of personal information.'),
  c('social_engineering', 'Social Engineering', 'hacking', 'The psychological manipulation of people into performing actions.'),
  c('malware', 'Malware', 'hacking', 'Software intentionally designed to cause disruption or leak information.'),
  c('drugs', 'Drugs', 'abuse', 'Related to (illegal) drugs.'),
  c('weapons', 'Weapons', 'abuse', 'Any implement or device used to deter, threaten, harm, or kill.'),
  c('payment_card_fraud', 'Payment Card Fraud', 'financial_crime', 'Criminal activity revolving around payment cards.'),
  c('ransomware', 'Ransomware', 'extortion', 'Malware that threatens to publish or block data unless a ransom is paid.'),
  c('sanction', 'Sanction List', 'abuse', 'An entry appears on a sanction list published by governments and authorities.'),
  c('counterfeit', 'Counterfeit', 'abuse', 'A fake or unauthorized replica of a genuine product.'),
  c('extremism', 'Extremism', 'abuse', 'Serially or systematically dehumanize others; acts of violence.'),
  c('terrorism', 'Terrorism', 'extremism', 'Endorse, promote, or enact physical violence.'),
  c('terrorism_financing', 'Terrorism Financing', 'extremism', 'Financial support to terrorism related entities.'),
  c('dark_web', 'Dark web', 'source', 'Content or service offerings exposed via darknet overlay networks such as Tor.'),
  c('entity', 'Entity', 'concept', 'Anything playing an active role in Darknets or Cryptoasset ecosystems.'),
  c('organization', 'Organization', 'entity', 'A social institution, such as public services or companies.'),
  c('user', 'User', 'entity', 'A person who utilizes Darknet or Cryptoasset infrastructures or services.'),
  c('service', 'Service', 'entity', 'Software functionality that can be used by different actors.'),
  c('victim', 'Victim', 'user', 'Someone or something that has been hurt, damaged, or has suffered.'),
  c('perpetrator', 'Perpetrator', 'user', 'Someone who has committed a crime or a violent or harmful act.'),
  c('donation', 'Donation', 'user', 'Someone or something receiving donations in cryptoassets.'),
  c('exchange', 'Exchange', 'service', 'A centralized cryptocurrency exchange (CEX).'),
  c('wallet_service', 'Wallet Service', 'service', 'A service that custodizes and uses cryptoasset keys on behalf of users.'),
  c('escrow_wallet', 'Escrow Wallet', 'wallet_service', 'A mediator that keeps the money for a transaction in safekeeping.'),
  c('ico_wallet', 'ICO Wallet', 'wallet_service', 'A wallet that has been used for Initial Coin Offerings (ICOs).'),
  c('cold_wallet', 'Cold Wallet', 'white_usage', 'A wallet that is not connected to the Internet.'),
  c('hot_wallet', 'Hot Wallet', 'white_usage', 'A wallet whose keys are used in an automated fashion.'),
  c('warm_wallet', 'Warm Wallet', 'white_usage', 'Like a hot wallet but with a user in the loop.'),
  c('filesharing', 'File Sharing', 'service', 'A service providing access to digital media.'),
  c('index', 'Index', 'service', 'An index refers the contents of other websites in the Dark- or Clearnet.'),
  c('market', 'Market', 'service', 'An online location where users purchase and sell goods and services.'),
  c('messaging_service', 'Messaging Service', 'service', 'Online chat with real-time transmission of messages.'),
  c('mixing_service', 'Mixing as a Service', 'service', 'A tumbler that mixes funds to obscure their trail.'),
  c('coinjoin', 'CoinJoin', 'mixing', 'An anonymization strategy combining payments of several users.'),
  c('miner', 'Miner', 'user', 'Processes and verifies transactions and creates blocks.'),
  c('mining_service', 'Mining as a Service', 'service', 'Infrastructure that allows mining of cryptoassets in the cloud.'),
  c('gambling', 'Gambling Service', 'service', 'Supports the wagering of money on an event with an uncertain outcome.'),
  c('search_engine', 'Search Engine', 'service', 'A software system designed to carry out web search.'),
  c('shop', 'Shop', 'service', 'Lets consumers buy goods or services from a seller over the Internet.'),
  c('faucet', 'Faucet', 'service', 'A reward system from which small amounts of coins can be rewarded.'),
  c('payment_processor', 'Payment Processor', 'service', 'A gateway that helps companies accept cryptocurrency payments.'),
  c('atm', 'Cryptoasset ATM', 'service', 'A physical kiosk exchanging cryptoassets and fiat currencies.'),
  c('hosting', 'Hosting Service Provider', 'service', 'Provides remote IT resources and/or services.'),
  c('vpn', 'VPN Service Provider', 'service', 'A virtual private network service.'),
  c('nameservice', 'Name Service', 'service', 'Maps human-readable identifiers to blockchain addresses.'),
  c('defi', 'DeFi Protocol', 'service', 'A program offering financial services in the form of smart contracts.'),
  c('defi_token', 'Token', 'defi', 'A token contract (ERC20, TRC20, ...).'),
  c('defi_lending', 'Lending Protocol', 'defi', 'Lend and borrow cryptoassets without a centralized intermediary.'),
  c('defi_dex', 'Decentralized Exchange (DEX)', 'defi', 'Peer-to-peer exchange without an intermediary.'),
  c('defi_dex_pair', 'DEX Pair', 'defi_dex', 'A trading pair on a decentralized exchange.'),
  c('defi_derivative', 'Derivative', 'defi', 'A contract whose value is based on an underlying (crypto)asset.'),
  c('defi_bridge', 'Bridge', 'defi', 'Moves assets to another ledger in a (semi-)automated fashion.'),
  c('defi_dao', 'DAO', 'defi', 'A collectively-owned, blockchain-governed organization.'),
  c('defi_staking', 'Staking', 'defi', 'Locks up assets to support network operations in return for rewards.'),
  c('defi_custody', 'Custody', 'defi', 'Secure management and storage of digital assets via smart contracts.'),
  c('item', 'Digital Item', 'concept', 'An intangible asset or piece of media that can be sold or shared online.'),
  c('collectible', 'Collectible', 'item', 'An item worth far more than it was originally sold for.'),
  c('black_list', 'Blacklist', 'abuse', 'A list of items that are prohibited or restricted.'),
  c('gov_black_list', 'Governmental Blacklist', 'black_list', 'A blacklist managed by a governmental institution.'),
  c('white_list', 'Whitelist', 'white_usage', 'A list of items that are approved for use.'),
  c('gov_white_list', 'Governmental Whitelist', 'white_list', 'A whitelist managed by a governmental institution.'),
  c('deployer', 'Deployer', 'behaviour', 'An entity that has deployed smart contracts on a blockchain network.'),
  c('funder', 'Funder', 'behaviour', 'An address used to fund other smart contracts.'),
];

/** GraphSense confidence levels, strongest first. */
export const GRAPHSENSE_CONFIDENCE: readonly ConfidenceLevel[] = [
  { id: 'override', label: 'Manual cluster tag', level: 100, description: 'Creator knows that a tag is representative for an entire cluster and overrides all other tags' },
  { id: 'ownership', label: 'Proven address ownership', level: 100, description: 'Creator controls the private key the address associated with a tag' },
  { id: 'ledger_immanent', label: 'Data directly read from the transaction ledger', level: 100, description: 'The data is extracted directly from ledger data with a reliable extraction procedure' },
  { id: 'manual_transaction', label: 'Trusted transaction', level: 90, description: 'Creator transferred funds from known service x to known service y' },
  { id: 'service_api', label: 'Service API', level: 70, description: 'Creator retrieves addresses from a known and trusted service provider API (e.g. VASP API)' },
  { id: 'forensic_investigation', label: 'Forensic Investigation', level: 70, description: 'Creator retrieved address as part of a forensic investigation (e.g. known victim or perpetrator address; address retrieved from service provider)' },
  { id: 'authority_data', label: 'Authority data', level: 60, description: 'Creator retrieves attribution tags from public authorities (e.g. OFAC)' },
  { id: 'trusted_provider', label: 'Trusted data providers', level: 50, description: 'Creator retrieved attribution tags from trusted third parties (e.g. spam trap)' },
  { id: 'service_data', label: 'Service data', level: 50, description: 'Creator retrieved attribution tag from a known service (e.g. CSV file received from exchange)' },
  { id: 'forensic', label: 'Forensic reports', level: 50, description: 'Creator retrieved data attribution data from somehow trusted reports (e.g. academic papers)' },
  { id: 'untrusted_transaction', label: 'Untrusted transaction', level: 40, description: 'A third party transferred funds from known service x to known service y' },
  { id: 'web_crawl', label: 'Web crawls', level: 20, description: 'Attribution tags were retrieved from crawling the web or other data dumps' },
  { id: 'heuristic', label: 'Any Source', level: 10, description: 'Attribution tags are created with methods where the reliability of the method is hard to quantify. Tags have to be considered best effort' },
  { id: 'unknown', label: 'Unknown', level: 5, description: 'Source and reliability of the tags are unknown. Use these tags with care' },
];
