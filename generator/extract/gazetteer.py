"""Curated word lists the entity, credit and quote rules lean on.

Kept as data in one place so the rules stay general: places are looked up by their canonical name
(aliases map to it), organisations are recognised by a suffix or prefix word, and people by not being
anything else. Lists are deliberately broad (countries, provinces, states, large cities) rather than
tuned to any one article.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip() for w in text.split(",") if w.strip())


COUNTRIES = _words("""
Afghanistan, Albania, Algeria, Argentina, Armenia, Australia, Austria, Azerbaijan, Bahamas, Bangladesh,
Belarus, Belgium, Bolivia, Bosnia and Herzegovina, Brazil, Bulgaria, Cambodia, Cameroon, Canada, Chile,
China, Colombia, Costa Rica, Croatia, Cuba, Cyprus, Czech Republic, Denmark, Dominican Republic, Ecuador,
Egypt, El Salvador, Estonia, Ethiopia, Finland, France, Georgia, Germany, Ghana, Greece, Greenland,
Guatemala, Haiti, Honduras, Hungary, Iceland, India, Indonesia, Iran, Iraq, Ireland, Israel, Italy,
Jamaica, Japan, Jordan, Kazakhstan, Kenya, Kuwait, Latvia, Lebanon, Libya, Lithuania, Luxembourg,
Malaysia, Mali, Malta, Mexico, Moldova, Mongolia, Morocco, Myanmar, Nepal, Netherlands, New Zealand,
Nicaragua, Niger, Nigeria, North Korea, Norway, Oman, Pakistan, Panama, Paraguay, Peru, Philippines,
Poland, Portugal, Qatar, Romania, Russia, Rwanda, Saudi Arabia, Senegal, Serbia, Singapore, Slovakia,
Slovenia, Somalia, South Africa, South Korea, Spain, Sri Lanka, Sudan, Sweden, Switzerland, Syria,
Taiwan, Tanzania, Thailand, Tunisia, Turkey, Uganda, Ukraine, United Arab Emirates, United Kingdom,
United States, Uruguay, Uzbekistan, Venezuela, Vietnam, Yemen, Zambia, Zimbabwe, Palestine, Gaza,
West Bank, Hong Kong, Scotland, England, Wales, Northern Ireland
""")

PROVINCES_STATES = _words("""
Alberta, British Columbia, Manitoba, New Brunswick, Newfoundland and Labrador, Newfoundland, Nova Scotia,
Ontario, Prince Edward Island, Quebec, Québec, Saskatchewan, Yukon, Northwest Territories, Nunavut,
Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida, Hawaii, Idaho,
Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland, Massachusetts, Michigan,
Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada, New Hampshire, New Jersey, New Mexico,
New York State, North Carolina, North Dakota, Ohio, Oklahoma, Oregon, Pennsylvania, Rhode Island,
South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont, Virginia, West Virginia, Wisconsin,
Wyoming, Puerto Rico
""")

CITIES = _words("""
Ottawa, Toronto, Montreal, Montréal, Vancouver, Calgary, Edmonton, Winnipeg, Halifax, Regina, Saskatoon,
Victoria, Hamilton, Kitchener, Waterloo, London, Windsor, Sudbury, Thunder Bay, Kingston, Oshawa,
Mississauga, Brampton, Markham, Vaughan, Gatineau, Laval, Sherbrooke, Saguenay, Trois-Rivières,
Quebec City, Moncton, Fredericton, Saint John, St. John's, Charlottetown, Whitehorse, Yellowknife,
Iqaluit, Kelowna, Kamloops, Prince George, Nanaimo, Surrey, Burnaby, Richmond, Red Deer, Lethbridge,
Fort McMurray, Jasper, Banff, Sault Ste. Marie, Niagara Falls, St. Catharines, Guelph, Barrie,
Peterborough, Nelson, Flin Flon, Brandon, Prince Albert, La Ronge, Prince Rupert, Terrace, Kitimat,
Fort St. John, Dawson Creek, Williams Lake, Quesnel, Penticton, Vernon, Cranbrook, Trail, Castlegar, Chilliwack,
Abbotsford, Langley, Coquitlam, West Kelowna, Medicine Hat, Grande Prairie, Lloydminster, Airdrie, Canmore,
Okotoks, Slave Lake, High River, Moose Jaw, Swift Current, Yorkton, North Battleford, Estevan, Weyburn, Creighton,
Thompson, The Pas, Steinbach, Portage la Prairie, Selkirk, Kenora, Dryden, Fort Frances, Timmins, North Bay,
Cornwall, Belleville, Brantford, Sarnia, Chatham, Leamington, Woodstock, Stratford, Owen Sound, Collingwood,
Huntsville, Brockville, Pembroke, Rimouski, Sept-Îles, Baie-Comeau, Chicoutimi, Alma, Drummondville, Granby,
Saint-Hyacinthe, Rouyn-Noranda, Val-d'Or, Lévis, Longueuil, Terrebonne, Bathurst, Miramichi, Edmundston, Truro,
Yarmouth, Antigonish, Summerside, Corner Brook, Gander, Labrador City, Inuvik, Hay River, Dawson City,
New York, New York City, Los Angeles, Chicago, Houston, Phoenix, Philadelphia, San Antonio, San Diego,
Dallas, San Francisco, Seattle, Boston, Detroit, Miami, Atlanta, Denver, Minneapolis, Pittsburgh,
Cleveland, Buffalo, Baltimore, Las Vegas, Nashville, Portland, Sacramento, Austin, Orlando, Tampa,
St. Louis, Kansas City, Milwaukee, Indianapolis, Columbus, Charlotte, New Orleans, Salt Lake City,
Anchorage, Honolulu, Palm Beach, Mar-a-Lago,
Mexico City, London, Paris, Berlin, Madrid, Rome, Brussels, Amsterdam, Geneva, Zurich, Vienna, Prague,
Warsaw, Stockholm, Oslo, Copenhagen, Helsinki, Dublin, Lisbon, Athens, Moscow, Kyiv, Kiev, Istanbul,
Ankara, Beijing, Shanghai, Tokyo, Seoul, Delhi, New Delhi, Mumbai, Bengaluru, Kolkata, Chennai,
Hyderabad, Karachi, Islamabad, Dhaka, Bangkok, Jakarta, Manila, Hanoi, Sydney, Melbourne, Canberra,
Auckland, Wellington, Cairo, Nairobi, Lagos, Johannesburg, Cape Town, Tehran, Baghdad, Riyadh, Dubai,
Doha, Jerusalem, Tel Aviv, Beirut, Damascus, Brasilia, São Paulo, Rio de Janeiro, Buenos Aires,
Santiago, Lima, Bogotá, Caracas, Havana, Kananaskis, Davos, Strasbourg, Frankfurt, Munich, Milan,
Rotterdam, Hamburg, Antwerp, Marseille, Barcelona, Lyon, Manchester, Birmingham, Glasgow, Edinburgh, Belfast,
Cardiff, Liverpool, Oxford, Cambridge, Geneva, Luxembourg City, Taipei, Osaka, Guangzhou, Shenzhen, Singapore City,
Ho Chi Minh City, Kuala Lumpur, Abu Dhabi, Monterrey, Guadalajara, Tijuana, Juárez
""")

REGIONS = _words("""
Europe, Asia, Africa, North America, South America, Latin America, Central America, Middle East,
Caribbean, Arctic, Antarctica, Scandinavia, Balkans, Prairies, Atlantic Canada, Western Canada,
Northern Ontario, Southern Ontario, Southwestern Ontario, Eastern Ontario, Greater Toronto Area,
Lower Mainland, Vancouver Island, Okanagan, Great Lakes, Pacific, Atlantic, Midwest, Silicon Valley,
Wall Street, Gulf of Mexico, Indo-Pacific, Asia-Pacific, Eastern Europe, Western Europe,
Southeast Asia, Niagara Region, Muskoka, Golden Horseshoe, Rust Belt, Sun Belt, New England,
Pacific Northwest, Rocky Mountains, Rockies, Cariboo, Kootenays, Peace River, Interior, Fraser Valley,
Niagara, Eastern Townships, Gaspé, Abitibi, Saguenay–Lac-Saint-Jean, Maritimes
""")

# Famous named sites; organisation-looking names that are really places go here.
SITES = _words("""
Oval Office, Parliament Hill, Queen's Park, Queen’s Park, Capitol Hill, Downing Street, Rideau Hall,
Rideau Cottage, Sussex Drive, Pennsylvania Avenue, Ambassador Bridge, Blue Water Bridge, Peace Bridge,
Kremlin, Élysée Palace, Pentagon
""")

# Things that are reasonably organisation or place: reported as organisations.
ORG_OR_PLACE = _words("""
White House, House of Commons, Senate, Congress, Parliament, European Union, EU, G7, G20, NATO,
United Nations, UN, Capitol
""")

# alias -> canonical place name (matched after normalising dots and case)
PLACE_ALIASES: dict[str, str] = {
    "U.S.": "United States", "US": "United States", "U.S.A.": "United States", "USA": "United States",
    "America": "United States", "United States of America": "United States",
    "U.K.": "United Kingdom", "UK": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "Washington, D.C.": "Washington, D.C.",
    "Washington D.C.": "Washington, D.C.", "D.C.": "Washington, D.C.", "Washington": "Washington",
    "B.C.": "British Columbia", "P.E.I.": "Prince Edward Island", "N.S.": "Nova Scotia",
    "N.B.": "New Brunswick", "N.L.": "Newfoundland and Labrador", "Sask.": "Saskatchewan",
    "Man.": "Manitoba", "Alta.": "Alberta", "Ont.": "Ontario", "Que.": "Quebec", "Québec": "Quebec",
    "Montréal": "Montreal", "Kiev": "Kyiv", "N.W.T.": "Northwest Territories", "GTA": "Greater Toronto Area",
    "N.Y.": "New York", "États-Unis": "United States", "Etats-Unis": "United States", "Royaume-Uni": "United Kingdom",
    "Chine": "China", "Mexique": "Mexico", "Allemagne": "Germany", "Angleterre": "England", "Japon": "Japan",
    "Colombie-Britannique": "British Columbia", "Nouveau-Brunswick": "New Brunswick", "Nouvelle-Écosse": "Nova Scotia",
}
# AP-style abbreviations of U.S. states, as used in datelines and "Eugene, Ore."
PLACE_ALIASES.update({
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi",
    "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire",
    "N.J.": "New Jersey", "N.M.": "New Mexico", "N.C.": "North Carolina", "N.D.": "North Dakota",
    "Okla.": "Oklahoma", "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island",
    "S.C.": "South Carolina", "S.D.": "South Dakota", "Tenn.": "Tennessee", "Vt.": "Vermont",
    "Va.": "Virginia", "Wash.": "Washington", "W.Va.": "West Virginia", "Wis.": "Wisconsin",
    "Wyo.": "Wyoming",
})

PLACES: frozenset[str] = COUNTRIES | PROVINCES_STATES | CITIES | REGIONS | SITES

# Words that end a named site ("Confederation Bridge", "Nathan Phillips Square").
PLACE_SUFFIXES = _words("""
Hill, Park, Street, St., Avenue, Ave., Road, Boulevard, Drive, Bridge, Square, Airport, Harbour, Harbor,
Lake, River, Island, Islands, Bay, Falls, Valley, Mountain, Mountains, Beach, Peninsula, County, Township,
Highway, Expressway, Canyon, Forest, Glacier, Creek, Coast, Strait, Sea, Ocean, Hall, Plaza, Arena,
Stadium, Centre, Center, Gardens, Cathedral, Crossing, Port, Region, District, Reserve
""")

# Words that end an organisation name ("Canadian Steel Producers Association", "The Globe and Mail").
ORG_SUFFIXES = _words("""
Association, Associations, Office, Party, Bank, Ministry, Department, Inc., Inc, Ltd., Ltd, Corp., Corp,
Corporation, Company, Co., LLC, PLC, Group, Holdings, News, Press, Times, Mail, Post, Journal, Herald,
Gazette, Tribune, Star, Sun, Telegraph, Guardian, Chronicle, Globe, Observer, Courier, Examiner, Review,
Magazine, Media, Network, Networks, Broadcasting, Television, Radio, Council, Commission, Committee,
Agency, Authority, Board, Bureau, Service, Services, Union, Unions, Federation, Confederation,
Institute, Institution, University, College, School, Academy, Foundation, Society, Trust, Fund,
Court, Tribunal, Senate, Assembly, Parliament, Legislature, Congress, Cabinet, Secretariat,
Administration, Police, Force, Forces, Army, Navy, Guard, Coalition, Alliance, League, Club, Team,
Chamber, Partners, Industries, Technologies, Systems, Motors, Airlines, Airways, Energy, Resources,
Steel, Aluminum, Aluminium, Mining, Pharmaceuticals, Labs, Laboratories, Hospital, Clinic, Caucus,
Organization, Organisation, Exchange, Reserve, Embassy, Consulate, Commons, Lords, Church, Producers,
Workers, Manufacturers, Exporters, Importers, Chiefs, Nation, Nations, Canada, Inc, Farmers, Growers,
Employers, Teachers, Nurses, Physicians, Doctors, Businesses, Retailers, Builders, Dealers, Fishermen,
Securities, Markets, Financial, Investments, Capital, Bancorp, Insurance, Brands, Foods, Logistics, Railway,
Pipelines, Utilities, Hydro, Networks, Ventures, Advisors, Advisers, Consulting, Institute,
Consortium, Manufacturing, Cooperative, Co-operative, Co-op, Coop, Grocers, Foundry, Metals, Alloys,
Construction, Contractors, Properties, Realty, Developments, Enterprises, Solutions, Pharma, Therapeutics,
Automotive, Aerospace, Shipping, Freight, Telecom, Communications, Wireless, Studios, Publishing, Advisory,
Management, Associates, LLP, Brewing, Brewery, Farms, Dairy, Bakery, Seafoods, Minerals, Nickel, Copper,
Lithium, Potash, Petroleum, Railroad, Transit, Municipality, Outfitters, Apparel, Trucking, Fabricators,
Bancshares, Agencies, Collective, Syndicate, Guild, Regiment, Battalion, Brigade, Regulator, Operator,
Ombudsman, Registry, Directorate, Inspectorate, Economics
""")

# Words that begin an organisation name ("Bank of Canada", "Ministry of Finance").
ORG_PREFIXES = _words("""
Bank, Ministry, Department, University, House, Office, Board, Council, Commission, Committee,
Federation, Association, Chamber, Institute, Government, Province, Royal, Supreme, Federal, Senate,
Organization, Organisation, Union, League, Embassy, Consulate, Treasury, Court, Regional, Municipality
""")

# Organisations recognised by name alone (single words or names without a telltale suffix).
KNOWN_ORGS = _words("""
Reuters, Bloomberg, Agence France-Presse, AFP, Associated Press, The Canadian Press, Canadian Press,
NATO, WTO, IMF, OPEC, OECD, UNESCO, UNICEF, NHL, NBA, NFL, MLB, MLS, FIFA, UEFA, IOC, NDP,
Bloc Québécois, Bloc Quebecois, Liberals, Conservatives, Republicans, Democrats, Tories,
Statistics Canada, Health Canada, Environment Canada, Canada Post, Air Canada, Hydro-Québec,
Hydro One, Stelco, Algoma, Alcoa, Rio Tinto, Dofasco, ArcelorMittal, Nucor, Tesla, Google, Apple,
Amazon, Microsoft, Meta, Facebook, Walmart, Costco, Loblaw, Shopify, Ford Motor, General Motors, GM,
Stellantis, Toyota, Honda, Boeing, Airbus, Bombardier, CN, CP, CPKC, Unifor, Teamsters, RCMP, CSIS,
CBSA, FBI, CIA, NASA, Pentagon, Kremlin, Environment and Climate Change Canada, Global Affairs Canada,
Transport Canada, Elections Canada, Finance Canada, Export Development Canada,
CTV, CBC, CTV News, CBC News, Global News, Radio-Canada, BBC, CNN, NBC, CBS, ABC, Fox News, NPR,
PBS, Politico, Axios, The Hill, Time, Wall Street Journal, The Wall Street Journal, New York Times,
The New York Times, Washington Post, The Washington Post, Toronto Star, National Post,
Financial Post, Globe and Mail, The Globe and Mail, Postmedia, Hindustan Times, Times of India,
Press Trust of India, PTI, ANI, Xinhua, Kyodo, Yonhap, Al Jazeera, Sky News, The Guardian,
Maple Leafs, Canadiens, Oilers, Flames, Canucks, Senators, Jets, Raptors, Blue Jays,
Red Cross, Salvation Army, Greenpeace, Amnesty International, Doctors Without Borders,
Canadian Pacific Kansas City, Canadian National Railway, Canadian Pacific, Canadian National
""")

# Outlets, for the source field: the name as it should be reported.
OUTLETS: dict[str, str] = {
    "ap": "Associated Press", "associated press": "Associated Press", "the associated press": "Associated Press",
    "reuters": "Reuters", "thomson reuters": "Reuters", "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse", "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg News", "cp": "The Canadian Press", "canadian press": "The Canadian Press",
    "the canadian press": "The Canadian Press", "pti": "Press Trust of India",
    "press trust of india": "Press Trust of India", "ani": "ANI", "ians": "IANS",
    "ctv": "CTV News", "ctv news": "CTV News", "ctvnews.ca": "CTV News", "cbc": "CBC News",
    "cbc news": "CBC News", "global news": "Global News", "globalnews.ca": "Global News",
    "cnn": "CNN", "bbc": "BBC News", "bbc news": "BBC News", "nbc news": "NBC News",
    "the globe and mail": "The Globe and Mail", "globe and mail": "The Globe and Mail",
    "toronto star": "Toronto Star", "national post": "National Post", "financial post": "Financial Post",
    "hindustan times": "Hindustan Times", "the hindu": "The Hindu", "times of india": "The Times of India",
    "the new york times": "The New York Times", "new york times": "The New York Times",
    "the washington post": "The Washington Post", "washington post": "The Washington Post",
    "politico": "Politico", "axios": "Axios", "xinhua": "Xinhua", "al jazeera": "Al Jazeera",
    "sky news": "Sky News", "the guardian": "The Guardian", "radio-canada": "Radio-Canada",
    "british broadcasting corporation": "BBC News", "the toronto star": "Toronto Star",
    "le devoir": "Le Devoir", "la presse": "La Presse", "la presse canadienne": "La Presse Canadienne",
    "ottawa citizen": "Ottawa Citizen", "montreal gazette": "Montreal Gazette", "vancouver sun": "Vancouver Sun",
    "calgary herald": "Calgary Herald", "edmonton journal": "Edmonton Journal",
    "winnipeg free press": "Winnipeg Free Press", "the hamilton spectator": "The Hamilton Spectator",
    "citynews": "CityNews", "cp24": "CP24", "bnn bloomberg": "BNN Bloomberg", "the hill times": "The Hill Times",
    "ipolitics": "iPolitics", "maclean's": "Maclean's", "the tyee": "The Tyee", "the narwhal": "The Narwhal",
    "national observer": "National Observer", "canada's national observer": "National Observer",
    "financial times": "Financial Times", "the economist": "The Economist", "usa today": "USA Today",
    "los angeles times": "Los Angeles Times", "the wall street journal": "The Wall Street Journal",
    "wall street journal": "The Wall Street Journal", "npr": "NPR", "abc news": "ABC News",
    "cbs news": "CBS News", "fox news": "Fox News", "the independent": "The Independent",
    "the telegraph": "The Telegraph", "the times": "The Times", "dpa": "dpa", "kyodo": "Kyodo News",
    "yonhap": "Yonhap", "upi": "UPI", "united press international": "UPI", "efe": "EFE",
}

# Wire services: when their copy is hosted elsewhere they are the source.
WIRE_SERVICES = frozenset({
    "Associated Press", "Reuters", "Agence France-Presse", "The Canadian Press", "La Presse Canadienne",
    "Press Trust of India",
    "Bloomberg", "Bloomberg News", "ANI", "IANS", "Xinhua",
})
WIRE_DATELINE_TAGS: dict[str, str] = {
    "AP": "Associated Press", "Reuters": "Reuters", "AFP": "Agence France-Presse",
    "CP": "The Canadian Press", "PTI": "Press Trust of India", "ANI": "ANI", "IANS": "IANS",
    "Bloomberg": "Bloomberg",
}

# Job titles and roles: they point at a person but are never part of the name.
ROLE_WORDS = _words("""
President, Vice-President, Vice, Prime, Minister, Premier, Deputy, Secretary, Ambassador, Senator, Sen.,
Rep., Representative, Governor, Gov., Mayor, Councillor, Councilor, Chief, Executive, CEO, Chair,
Chairman, Chairwoman, Chairperson, Director, Leader, Speaker, Justice, Judge, Commissioner, Spokesperson,
Spokesman, Spokeswoman, Minister's, Critic, MP, MPP, MLA, MNA, Rev., Pope, King, Queen, Prince,
Princess, Lt., Gen., General, Col., Sgt., Capt., Officer, Constable, Inspector, Superintendent, Coach,
Captain, Manager, Commander, Economist, Analyst, Professor, Prof., Dr., Dr, Mr., Mr, Mrs., Mrs, Ms.,
Ms, Sir, Hon., Dame, Lord, Lady, Attorney, Treasurer, Chancellor, Envoy, Consul, Trade, Finance,
Foreign, Industry, Defence, Defense, Health, Environment, Justice, Commerce, Labour, Labor, Energy,
Transport, Agriculture, Economic, Development, Affairs, Public, Safety, Immigration, Innovation,
Emergency, Preparedness, Intergovernmental, Housing, Natural, Resources, Fisheries, Heritage,
International, Internal, Trade, Associate, Assistant, Senior, Former, Acting, Interim, Opposition,
Federal, Provincial, Liberal, Conservative, Democratic, Republican, Independent, Green, Head,
Founder, Co-founder, Owner, Partner, Strategist, Adviser, Advisor, Officials, Official, Lawyer,
Economist, Forward, Goaltender, Goalie, Defenceman, Pitcher, Striker, Quarterback, RHP, LHP, Rookie,
Centre, Winger, Midfielder, Defender, Outfielder, Infielder, Catcher, Shortstop, Reliever, Closer, Starter
""")

# Adjectives of nationality: before a known organisation they are part of its name ("Canadian Red Cross").
DEMONYMS = frozenset(w.lower() for w in _words("""
Canadian, American, British, French, Mexican, European, Chinese, Indian, Japanese, German, Australian,
Irish, Scottish, Quebec, Ontario, Alberta, International, National, Global, World
"""))

# Capitalised words that are never part of a person's name.
NON_NAME_WORDS = _words("""
Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday, January, February, March, April, May,
June, July, August, September, October, November, December, Jan., Feb., Mar., Apr., Jun., Jul., Aug.,
Sept., Sep., Oct., Nov., Dec., Day, Week, Month, Year, Cup, Games, Olympics, Act, Bill, Agreement, Accord,
Treaty, Plan, Program, Programme, Strategy, Budget, Report, Index, Summit, Conference, Forum, Festival,
Award, Awards, Prize, Trophy, Championship, Championships, Series, Final, Finals, Season, War, Crisis,
Fire, Wildfire, Storm, Hurricane, Tariff, Tariffs, Canadian, Canadians, American, Americans, British,
French, English, Chinese, Mexican, European, Indian, Russian, Ukrainian, Israeli, German, Japanese,
Korean, Australian, Italian, Spanish, Irish, Scottish, Quebecer, Quebecers, Ontarians, Albertans,
Indigenous, First, Nations, Métis, Inuit, Catholic, Christian, Muslim, Jewish, Hindu, Sikh, Internet,
Covid, COVID, COVID-19, God, Christmas, Easter, Thanksgiving, Ramadan, Diwali, Hanukkah, Halloween,
Read, More, Also, Watch, Listen, Share, Advertisement, Photo, Video, Image, File, Getty, Images,
Story, Continues, Below, Updated, Published, Posted, Related, Trending, Sign, Subscribe, Newsletter,
The, A, An, This, That, These, Those, It, Its, He, She, They, We, I, You, His, Her, Their, Our,
In, On, At, For, From, With, By, As, But, And, Or, If, When, While, After, Before, Since, During,
Under, Over, Asked, According, Speaking, Meanwhile, However, Still, Yet, So, Then, Now, Today,
Tomorrow, Yesterday, Last, Next, Earlier, Later, Despite, Although, Though, Because, Even, Only, Just,
Some, Many, Most, All, Both, Each, Every, No, Not, Other, Others, Several, Such, What, Which, Who,
Why, How, Where, There, Here, Mr, Mrs, Ms, Dr, Sen, Rep, Sir, Northern, Southern, Eastern, Western,
North, South, East, West, Central, New, Old, Great, Greater, Upper, Lower, Grand, St., Saint, Fort,
Mount, Port, Lake, Hill, Park, Street, Union, Party, Office, Bank, Group, Centre, Center, Team, Steel,
Aluminum, Hockey, Football, Soccer, Baseball, Basketball, World, Olympic, Paralympic,
Government, Cabinet, Parliament, Senate, Congress, Court, Police, Army, Border, Customs, Embassy,
Crown, Province, State, City, County, Town, Village, Region, District, Republic, Kingdom, Empire,
Federation, Commonwealth, Global, National, International, Royal, Supreme, Federal, Provincial,
Municipal, Ltd, Inc, Corp, News, Press, Times, Post, Mail, Globe, Star, Sun, Herald, Journal, Airport,
Bridge, Avenue, Road, Square, Hall, House, Building, Tower, Station, Highway, Island, Bay, River,
Falls, Valley, Mountain, Coast, Ocean, Sea, Gulf, Arctic, Pacific, Atlantic, Online, Digital, Live,
Breaking, Exclusive, Opinion, Analysis, Editorial, Politics, Business, Sports, Health, Science,
Technology, Entertainment, Lifestyle, Weather, Local, Canada, Ontario, Quebec, Alberta, Economy
""")

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "his", "il", "elle"})

SPEECH_VERBS = (
    "said", "says", "added", "adds", "told", "tells", "wrote", "writes", "stated", "states", "noted",
    "notes", "explained", "explains", "argued", "argues", "asked", "asks", "insisted", "insists",
    "warned", "warns", "continued", "continues", "declared", "declares", "replied", "replies",
    "responded", "responds", "recalled", "recalls", "posted", "posts", "tweeted", "tweets",
    "acknowledged", "acknowledges", "remarked", "remarks", "claimed", "claims", "suggested",
    "suggests", "admitted", "admits", "cautioned", "cautions", "conceded", "concedes", "stressed",
    "stresses", "emphasized", "emphasised", "urged", "urges", "announced", "announces", "confirmed",
    "confirms", "predicted", "predicts", "shouted", "joked", "jokes", "quipped", "vowed", "vows",
    "pointed out", "went on", "said in a statement", "told reporters", "wrote on social media",
    # French: "affirme le président, Name", "a déclaré Name", "explique-t-elle"
    "affirme", "a affirmé", "dit", "a dit", "déclare", "a déclaré", "souligne", "a souligné", "ajoute",
    "a ajouté", "explique", "a expliqué", "estime", "a estimé", "indique", "a indiqué", "précise", "a précisé",
    "prévient", "a prévenu", "soutient", "a soutenu", "rappelle", "a rappelé", "raconte", "a raconté",
    "confie", "a confié", "insiste", "a insisté", "martèle", "a martelé", "fait valoir", "a fait valoir",
    "reconnaît", "a reconnu", "assure", "a assuré", "a lancé",
)

# Lowercase-initial particles allowed inside personal names ("Ursula von der Leyen").
NAME_PARTICLES = frozenset({"von", "van", "der", "de", "da", "del", "della", "di", "du", "la", "le",
                            "bin", "al", "ibn", "dos", "das", "ter", "den"})

# Place names that are also common given names ("Jordan Pell", "Victoria Chen").
GIVEN_NAME_PLACES = frozenset({
    "Jordan", "Georgia", "Victoria", "Florence", "Chad", "Israel", "Paris", "Austin", "Charlotte", "Regina",
    "Kingston", "Sydney", "Eugene", "Hamilton", "Lincoln", "Madison", "Jackson", "Columbus", "Nelson",
    "Richmond", "Brandon", "Brooklyn", "India", "Asia", "Carolina", "Dallas", "Houston", "Denver", "Phoenix",
    "Trenton", "Laval", "Santiago", "Lima", "Surrey", "Windsor", "London", "Salem", "Sherbrooke", "Orlando",
})

# Generic nouns, mostly plural groups and roles, that open a sentence or stand for a party but never
# name a person ("Economists polled …", "the Company expects", "Officials said").
GENERIC_NOUNS = _words("""
Company, Firm, Corporation, Economists, Analysts, Officials, Residents, Experts, Critics, Investors,
Observers, Traders, Executives, Sources, Locals, Evacuees, Organizers, Organisers, Scientists, Researchers,
Lawmakers, Legislators, Leaders, Voters, Officers, Firefighters, Authorities, Workers, Employees, Members,
Protesters, Negotiators, Regulators, Manufacturers, Producers, Exporters, Importers, Consumers, Shoppers,
Customers, Users, Students, Parents, Patients, Doctors, Nurses, Teachers, Farmers, Families, People,
Staff, Crews, Volunteers, Owners, Shareholders, Diplomats, Ministers, Premiers, Governors, Mayors,
Senators, Representatives, Delegates, Advocates, Opponents, Supporters, Fans, Players, Spokespeople,
Forecasters, Strategists, Economist, Analyst, Official, Resident, Expert, Critic, Investor, Spokesperson
""")
